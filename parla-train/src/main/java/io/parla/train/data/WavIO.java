package io.parla.train.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Minimal RIFF/WAVE PCM (16/24/32-bit int, 32-bit float) reader and 16-bit writer; channels are averaged. */
public final class WavIO {
    private WavIO() {}

    /** Decoded audio: mono samples in [-1, 1] and the sample rate. */
    public record Pcm(float[] samples, int sampleRate) {}

    public static Pcm read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157)
            throw new IOException(file + ": not a RIFF/WAVE file");
        int pos = 12, fmt = -1, ch = 0, sr = 0, bits = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos), len = b.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                fmt = b.getShort(body) & 0xffff;
                ch = b.getShort(body + 2);
                sr = b.getInt(body + 4);
                bits = b.getShort(body + 14);
                if (fmt == 0xFFFE && len >= 26) fmt = b.getShort(body + 24) & 0xffff;
            } else if (id == 0x61746164) { // "data"
                if (fmt < 0) throw new IOException(file + ": data before fmt chunk");
                int bytes = bits / 8;
                int avail = Math.min(len < 0 ? Integer.MAX_VALUE : len, b.limit() - body);
                int frames = avail / (bytes * ch);
                float[] out = new float[frames];
                for (int i = 0; i < frames; i++) {
                    double acc = 0;
                    for (int c = 0; c < ch; c++) {
                        int o = body + (i * ch + c) * bytes;
                        acc += switch (bits) {
                            case 16 -> b.getShort(o) / 32768.0;
                            case 24 -> ((b.get(o) & 0xff) | (b.get(o + 1) & 0xff) << 8 | b.get(o + 2) << 16) / 8388608.0;
                            case 32 -> fmt == 3 ? b.getFloat(o) : b.getInt(o) / 2147483648.0;
                            default -> throw new IOException(file + ": unsupported bits " + bits);
                        };
                    }
                    out[i] = (float) (acc / ch);
                }
                return new Pcm(out, sr);
            }
            pos = body + len + (len & 1);
        }
        throw new IOException(file + ": no data chunk");
    }

    public static void write16(Path file, float[] x, int sr) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + 2 * x.length).putInt(0x45564157).putInt(0x20746d66).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(sr).putInt(sr * 2).putShort((short) 2).putShort((short) 16)
                .putInt(0x61746164).putInt(2 * x.length);
        for (float v : x) b.putShort((short) Math.round(Math.max(-1f, Math.min(1f, v)) * 32767f));
        Files.write(file, b.array());
    }
}
