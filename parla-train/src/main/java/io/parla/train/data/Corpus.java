package io.parla.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A speech corpus preloaded into RAM as 16 kHz floats, split by speaker into train / validation
 * deterministically from a seed.
 */
public final class Corpus {
    /** One utterance. */
    public record Utt(String path, String speaker, String source, float[] samples) {}

    private final List<Utt> train;
    private final List<Utt> val;
    private final List<String> heldOutSpeakers;

    private Corpus(List<Utt> train, List<Utt> val, List<String> heldOut) {
        this.train = train;
        this.val = val;
        this.heldOutSpeakers = heldOut;
    }

    public List<Utt> train() { return train; }
    public List<Utt> val() { return val; }
    public List<String> heldOutSpeakers() { return heldOutSpeakers; }

    /** Manifest line. */
    record Entry(String path, double seconds, String speaker, String source) {}

    /**
     * Reads {@code manifest} (TSV: path, seconds, speaker, source; header line optional) or, when {@code manifest}
     * is a directory, every .wav/.flac under it (speaker = parent folder name).
     */
    public static Corpus load(Path manifest, Path wavCache, Set<String> excludeSources, double valSpeakerFraction,
                              double maxHeldDurationFraction, long seed, int maxFiles) throws IOException {
        return load(manifest, wavCache, excludeSources, valSpeakerFraction, maxHeldDurationFraction, seed, maxFiles, true);
    }

    /** As above; {@code withTrain=false} decodes only the held-out files (evaluation). */
    public static Corpus load(Path manifest, Path wavCache, Set<String> excludeSources, double valSpeakerFraction,
                              double maxHeldDurationFraction, long seed, int maxFiles, boolean withTrain) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Path root;
        if (Files.isDirectory(manifest)) {
            root = manifest;
            try (var s = Files.walk(manifest)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    String n = p.getFileName().toString().toLowerCase();
                    if (!n.endsWith(".wav") && !n.endsWith(".flac")) continue;
                    entries.add(new Entry(manifest.relativize(p).toString(), 0, p.getParent().getFileName().toString(), "dir"));
                }
            }
        } else if (Files.isRegularFile(manifest)) {
            root = manifest.toAbsolutePath().getParent();
            for (String line : Files.readAllLines(manifest)) {
                if (line.isBlank() || line.startsWith("path\t")) continue;
                String[] f = line.split("\t");
                if (f.length < 3) throw new IOException(manifest + ": malformed line (need path, seconds, speaker[, source]): " + line);
                entries.add(new Entry(f[0], Double.parseDouble(f[1]), f[2], f.length > 3 ? f[3] : ""));
            }
        } else {
            throw new IOException("dataset not found: " + manifest);
        }
        entries.removeIf(e -> excludeSources.contains(e.source()) || excludeSources.stream().anyMatch(x -> e.path().startsWith(x + "/")));
        if (maxFiles > 0 && entries.size() > maxFiles) entries = entries.subList(0, maxFiles);
        if (entries.isEmpty()) throw new IOException("dataset " + manifest + " is empty (after excluding " + excludeSources + ")");

        // speaker-disjoint split: shuffle the known speakers with the seed, hold out the first ones
        TreeMap<String, Double> dur = new TreeMap<>();
        for (Entry e : entries) dur.merge(e.speaker(), Math.max(e.seconds(), 1), Double::sum);
        List<String> spk = new ArrayList<>(dur.keySet());
        spk.remove("unknown");
        Collections.shuffle(spk, new Random(seed));
        int nVal = valSpeakerFraction <= 0 ? 0 : Math.max(1, (int) Math.round(spk.size() * valSpeakerFraction));
        TreeSet<String> held = new TreeSet<>();
        double total = dur.values().stream().mapToDouble(Double::doubleValue).sum(), heldDur = 0;
        for (String s : spk) {
            if (held.size() >= nVal) break;
            if (heldDur + dur.get(s) > maxHeldDurationFraction * total) continue; // never hold out a big single-speaker corpus
            held.add(s);
            heldDur += dur.get(s);
        }
        AudioLoader loader = new AudioLoader(root, wavCache);
        List<Utt> tr = new ArrayList<>(), va = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (Entry e : entries) {
            if (!withTrain && !held.contains(e.speaker())) continue;
            float[] x;
            try {
                x = loader.load16k(e.path());
            } catch (IOException ex) {
                bad.add(ex.getMessage());
                continue;
            }
            if (x.length < 1600) continue;
            (held.contains(e.speaker()) ? va : tr).add(new Utt(e.path(), e.speaker(), e.source(), x));
        }
        if (!bad.isEmpty() && tr.isEmpty() && va.isEmpty())
            throw new IOException("no file of " + manifest + " could be read; first error: " + bad.get(0));
        if (!bad.isEmpty()) System.err.println("warning: " + bad.size() + " unreadable files skipped, e.g. " + bad.get(0));
        if (withTrain && tr.isEmpty()) throw new IOException("no training audio left in " + manifest);
        return new Corpus(tr, va, new ArrayList<>(held));
    }

    public double trainSeconds() { return train.stream().mapToDouble(u -> u.samples().length / 16000.0).sum(); }
    public double valSeconds() { return val.stream().mapToDouble(u -> u.samples().length / 16000.0).sum(); }
}
