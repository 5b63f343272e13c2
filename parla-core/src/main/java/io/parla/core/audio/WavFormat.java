package io.parla.core.audio;

import java.util.HexFormat;

/**
 * The parts of a WAV {@code fmt } chunk the decoder needs, validated so that the data loop can trust them.
 *
 * @param encoding how each sample is stored (the container size: a 20-bit stream in 24-bit containers is
 *                 {@link WavEncoding#PCM_24}, since the valid bits are left-justified and the padding is zero)
 */
record WavFormat(WavEncoding encoding, int channels, int sampleRate) {
    /** Tail shared by every KSDATAFORMAT_SUBTYPE GUID whose first two bytes are a plain format tag. */
    private static final byte[] SUBTYPE_GUID_TAIL = HexFormat.of().parseHex("000000001000800000aa00389b71");

    int blockAlign() {
        return channels * encoding.bytesPerSample();
    }

    /** Parses the first {@code length} bytes of {@code chunk}, the body of a fmt chunk. */
    static WavFormat parse(byte[] chunk, int length, ByteSource source) {
        if (length < 16) throw source.error("truncated fmt chunk (" + length + " bytes, at least 16 needed)");
        int tag = LittleEndian.u16(chunk, 0);
        int channels = LittleEndian.u16(chunk, 2);
        long sampleRate = LittleEndian.u32(chunk, 4);
        int blockAlign = LittleEndian.u16(chunk, 12);
        int bits = LittleEndian.u16(chunk, 14);
        String label = tagName(tag);
        if (tag == WavEncoding.TAG_EXTENSIBLE) {
            if (length < 40)
                throw source.error("truncated WAVE_FORMAT_EXTENSIBLE fmt chunk (" + length + " bytes, 40 needed)");
            if (!java.util.Arrays.equals(chunk, 26, 40, SUBTYPE_GUID_TAIL, 0, SUBTYPE_GUID_TAIL.length))
                throw source.error("unsupported WAVE_FORMAT_EXTENSIBLE sub-format " + guid(chunk, 24));
            tag = LittleEndian.u16(chunk, 24);
            label = "WAVE_FORMAT_EXTENSIBLE with sub-format " + tagName(tag);
        }
        if (channels == 0) throw source.error("zero channels in fmt chunk");
        if (sampleRate == 0) throw source.error("zero sample rate in fmt chunk");
        if (sampleRate > Integer.MAX_VALUE) throw source.error("sample rate " + sampleRate + " Hz out of range");
        WavEncoding encoding = switch (tag) {
            case WavEncoding.TAG_PCM -> bits >= 1 && bits <= 32 ? WavEncoding.pcm((bits + 7) / 8 * 8) : null;
            case WavEncoding.TAG_IEEE_FLOAT -> WavEncoding.ieeeFloat(bits);
            default -> throw source.error("unsupported encoding " + label);
        };
        if (encoding == null) throw source.error("unsupported bit depth " + bits + " for " + label);
        WavFormat format = new WavFormat(encoding, channels, (int) sampleRate);
        if (blockAlign != format.blockAlign())
            throw source.error("inconsistent fmt chunk: block align " + blockAlign + ", expected "
                    + format.blockAlign() + " for " + channels + " channel(s) of " + bits + " bits");
        return format;
    }

    private static String tagName(int tag) {
        String name = switch (tag) {
            case 0x0001 -> "PCM";
            case 0x0002 -> "Microsoft ADPCM";
            case 0x0003 -> "IEEE float";
            case 0x0006 -> "A-law";
            case 0x0007 -> "mu-law";
            case 0x0011 -> "IMA ADPCM";
            case 0x0031 -> "GSM 6.10";
            case 0x0040 -> "G.721 ADPCM";
            case 0x0050 -> "MPEG";
            case 0x0055 -> "MPEG Layer 3";
            case 0x00FF -> "AAC";
            case 0x2000 -> "Dolby AC-3";
            case 0xFFFE -> "WAVE_FORMAT_EXTENSIBLE";
            default -> null;
        };
        String hex = String.format("0x%04X", tag);
        return name == null ? "format tag " + hex : name + " (format tag " + hex + ")";
    }

    private static String guid(byte[] b, int off) {
        // GUIDs print their first three fields little-endian, the rest in byte order.
        return String.format("{%08X-%04X-%04X-%s-%s}", LittleEndian.u32(b, off), LittleEndian.u16(b, off + 4),
                LittleEndian.u16(b, off + 6), HexFormat.of().withUpperCase().formatHex(b, off + 8, off + 10),
                HexFormat.of().withUpperCase().formatHex(b, off + 10, off + 16));
    }
}
