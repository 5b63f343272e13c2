package io.parla.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The audio files named on a command line: WAV/FLAC files as given, folders searched recursively for
 * {@code *.wav} / {@code *.flac} (any case, sorted), and manifests: text files with one audio path per
 * line (first tab- or comma-separated column; blank lines, {@code #} comments and a {@code path} header
 * skipped; relative paths are relative to the manifest). Duplicates are dropped, order is kept.
 * Entries of a manifest that do not exist are kept, so the evaluation lists them as unreadable.
 */
final class InputFiles {
    private InputFiles() {}

    /** Collected files, and the folders that held no audio (worth a warning when others did). */
    record Collected(List<Path> files, List<Path> emptyFolders) {}

    static Collected collect(List<Path> args) {
        if (args == null || args.isEmpty()) throw new IllegalArgumentException("no input files or folders given");
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> files = new ArrayList<>();
        List<Path> empty = new ArrayList<>();
        for (Path a : args) {
            List<Path> found;
            if (Files.isDirectory(a)) {
                found = walk(a);
                if (found.isEmpty()) empty.add(a);
            } else if (!Files.exists(a)) {
                throw new IllegalArgumentException(a + ": no such file or folder");
            } else if (isAudio(a)) {
                found = List.of(a);
            } else {
                found = manifest(a);
            }
            for (Path p : found) if (seen.add(p.toAbsolutePath().normalize())) files.add(p);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(empty.size() == args.size()
                    ? "no WAV or FLAC files found in " + join(empty) + " (folders are searched recursively for *.wav and *.flac)"
                    : "no audio files to evaluate in " + join(args));
        }
        return new Collected(List.copyOf(files), List.copyOf(empty));
    }

    static boolean hasAudioExtension(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".wav") || n.endsWith(".flac");
    }

    /** By name, or for other names by content: RIFF/RF64/BW64, fLaC or an ID3 tag. */
    private static boolean isAudio(Path p) {
        if (hasAudioExtension(p)) return true;
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            throw new IllegalArgumentException(p + ": cannot read: " + e.getMessage());
        }
        String magic = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        return magic.equals("RIFF") || magic.equals("RF64") || magic.equals("BW64") || magic.equals("fLaC") || magic.startsWith("ID3");
    }

    private static List<Path> walk(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> hasAudioExtension(p) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException(dir + ": cannot list the folder: " + e.getMessage());
        }
    }

    private static List<Path> manifest(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not WAV, FLAC or a readable text manifest: " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        for (String line : lines) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            int cut = s.indexOf('\t');
            if (cut < 0 && file.toString().toLowerCase(Locale.ROOT).endsWith(".csv")) cut = s.indexOf(',');
            String entry = (cut < 0 ? s : s.substring(0, cut)).strip();
            if (out.isEmpty() && (entry.equalsIgnoreCase("path") || entry.equalsIgnoreCase("file"))) continue;
            Path p = Path.of(entry);
            out.add(p.isAbsolute() ? p : base.resolve(p).normalize());
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + ": the manifest lists no files");
        return out;
    }

    private static String join(List<Path> paths) {
        return String.join(", ", paths.stream().map(Path::toString).toList());
    }
}
