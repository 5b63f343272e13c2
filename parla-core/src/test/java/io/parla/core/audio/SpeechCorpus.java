package io.parla.core.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared training corpus (read-only, outside the repository): found by walking up from the working directory
 * to a folder holding {@code shared/data/speech}, or named by the {@code parla.speechData} system property.
 */
final class SpeechCorpus {
    /** One manifest row: a FLAC file and its duration as the manifest states it. */
    record Entry(Path file, double seconds) {}

    private SpeechCorpus() {}

    /** The corpus folder, or null when this machine has none. */
    static Path locate() {
        String configured = System.getProperty("parla.speechData");
        if (configured != null) return Files.isDirectory(Path.of(configured)) ? Path.of(configured) : null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/speech");
            if (Files.isRegularFile(candidate.resolve("manifest.tsv"))) return candidate;
        }
        return null;
    }

    static List<Entry> manifest(Path root) {
        try {
            List<String> lines = Files.readAllLines(root.resolve("manifest.tsv"));
            List<String> header = List.of(lines.get(0).split("\t"));
            int path = header.indexOf("path");
            int seconds = header.indexOf("seconds");
            List<Entry> entries = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) continue;
                String[] cols = line.split("\t");
                entries.add(new Entry(root.resolve(cols[path]), Double.parseDouble(cols[seconds])));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} entries spread evenly over the manifest, so every sub-corpus is likely represented. */
    static List<Entry> spread(List<Entry> all, int count) {
        List<Entry> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) picked.add(all.get((int) ((long) i * all.size() / count)));
        return picked;
    }
}
