package io.parla.train.data;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Random loudness-normalised crops. Batch {@code step} depends only on (seed, step), so a resumed run sees the
 * same data as an uninterrupted one. {@link #prefetch} produces batches on a background thread.
 */
public final class Batches {
    private final List<Corpus.Utt> utts;
    private final long[] cum;
    private final int crop;
    private final int batch;
    private final long seed;
    private final double minDb, maxDb;

    public Batches(List<Corpus.Utt> utts, int cropSamples, int batchSize, long seed, double minDb, double maxDb) {
        if (utts.isEmpty()) throw new IllegalArgumentException("no utterances to sample from");
        this.utts = utts;
        this.crop = cropSamples;
        this.batch = batchSize;
        this.seed = seed;
        this.minDb = minDb;
        this.maxDb = maxDb;
        cum = new long[utts.size()];
        long c = 0;
        for (int i = 0; i < utts.size(); i++) cum[i] = c += Math.max(utts.get(i).samples().length, crop);
    }

    public int cropSamples() { return crop; }

    public float[][] batch(long step) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        float[][] out = new float[batch][];
        for (int b = 0; b < batch; b++) out[b] = crop(r);
        return out;
    }

    private float[] crop(SplittableRandom r) {
        float[] best = null;
        for (int attempt = 0; attempt < 6; attempt++) {
            long pick = r.nextLong(cum[cum.length - 1]);
            int i = java.util.Arrays.binarySearch(cum, pick + 1);
            if (i < 0) i = -i - 1;
            float[] x = utts.get(Math.min(i, utts.size() - 1)).samples();
            float[] y = new float[crop];
            if (x.length <= crop) {
                int off = r.nextInt(crop - x.length + 1);
                System.arraycopy(x, 0, y, off, x.length);
            } else {
                System.arraycopy(x, r.nextInt(x.length - crop + 1), y, 0, crop);
            }
            best = y;
            if (rmsDb(y) > -55) break;
        }
        normalise(best, minDb + r.nextDouble() * (maxDb - minDb));
        return best;
    }

    static double rmsDb(float[] x) {
        double s = 0;
        for (float v : x) s += (double) v * v;
        return 10 * Math.log10(s / x.length + 1e-12);
    }

    /** Scales to the target RMS (dBFS), limited so that the peak stays below 0.99. */
    public static void normalise(float[] x, double targetDb) {
        double cur = rmsDb(x);
        if (cur < -80) return;
        double g = Math.pow(10, (targetDb - cur) / 20);
        double peak = 0;
        for (float v : x) peak = Math.max(peak, Math.abs(v));
        if (peak * g > 0.99) g = 0.99 / peak;
        for (int i = 0; i < x.length; i++) x[i] = (float) (x[i] * g);
    }

    /** Fixed validation crops: up to {@code n} crops of {@code len} samples from consecutive held-out files. */
    public static float[][] validation(List<Corpus.Utt> val, int n, int len, double db) {
        int count = Math.min(n, val.size());
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] x = val.get((int) ((long) i * val.size() / count)).samples();
            float[] y = new float[len];
            int off = Math.max(0, (x.length - len) / 2);
            System.arraycopy(x, off, y, 0, Math.min(len, x.length));
            normalise(y, db);
            out[i] = y;
        }
        return out;
    }

    /** Background producer of batches for steps start, start+1, ... */
    public BlockingQueue<float[][]> prefetch(long start, int depth) {
        BlockingQueue<float[][]> q = new ArrayBlockingQueue<>(depth);
        Thread t = new Thread(() -> {
            try {
                for (long s = start; ; s++) q.put(batch(s));
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "batch-prefetch");
        t.setDaemon(true);
        t.start();
        return q;
    }
}
