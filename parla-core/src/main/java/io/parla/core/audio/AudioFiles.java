package io.parla.core.audio;

import java.nio.file.Path;

/**
 * Reads any audio file the runtime supports, choosing the decoder by the file's content rather than its name:
 * corpora routinely hold FLAC files called .wav and the reverse.
 */
public final class AudioFiles {
    private AudioFiles() {}

    public static Audio read(Path file) {
        return switch (sniff(file)) {
            case WAV -> WavReader.read(file);
            case FLAC -> FlacReader.read(file);
        };
    }

    public static Audio read(byte[] bytes, String nameForErrors) {
        if (bytes.length == 0) throw new AudioFormatException(nameForErrors, "empty file");
        int tag = Id3v2.length(bytes);
        return switch (classify(bytes, tag, bytes.length - tag, nameForErrors)) {
            case WAV -> WavReader.read(bytes, nameForErrors);
            case FLAC -> FlacReader.read(bytes, nameForErrors);
        };
    }

    private enum Container { WAV, FLAC }

    private static Container sniff(Path file) {
        try (ByteSource source = ByteSource.open(file)) {
            byte[] head = new byte[Id3v2.HEADER_LENGTH];
            int n = source.readUpTo(head, 0, head.length);
            if (n == 0) throw source.error("empty file");
            int tag = Id3v2.length(head);
            if (tag > 0) n = source.skip(tag - n) == tag - n ? source.readUpTo(head, 0, 4) : 0;
            return classify(head, 0, n, source.name());
        }
    }

    /** Classifies the {@code n} bytes at {@code off}, where the audio stream proper starts. */
    private static Container classify(byte[] b, int off, int n, String name) {
        if (n >= 4 && FlacReader.hasMagic(b, off)) return Container.FLAC;
        if (n >= 4 && off == 0 && startsWithAny(b, "RIFF", "RF64", "BW64")) return Container.WAV;
        throw new AudioFormatException(name, "not a WAV or FLAC file");
    }

    private static boolean startsWithAny(byte[] head, String... magics) {
        for (String magic : magics) {
            boolean match = true;
            for (int i = 0; i < 4; i++) match &= head[i] == magic.charAt(i);
            if (match) return true;
        }
        return false;
    }
}
