package io.parla.train.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.pooling.Pool;
import io.parla.train.Recipe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * HiFi-GAN style waveform discriminators as functions of a parameter map: a multi-period discriminator (one
 * sub-discriminator per period; the signal is folded into {@code [N/p, p]} and every column goes through a stack of
 * strided {@code (k, 1)} convolutions, written here as 1-d convolutions over the folded columns) plus a multi-scale
 * discriminator (grouped 1-d convolution stacks on the signal and on 2x average-pooled copies of it). Every
 * sub-discriminator returns a score map and the list of its layer outputs (for feature matching).
 *
 * <p>Sizes are configurable under the recipe key {@code discriminator}; the defaults are the HiFi-GAN sizes the
 * SpeechBrain FocalCodec decoder recipes use (periods 2, 3, 5, 7, 11 with channels 32-128-512-1024-1024, kernel 5,
 * stride 3; three scales with channels 128-128-256-512-1024-1024-1024). Plain convolutions: the weight / spectral
 * normalisation re-parametrisations of the reference are not used.
 */
public final class Discriminator {
    /** Sizes of the two discriminator families. */
    public record Config(int[] periods, int[] mpdChannels, int mpdKernel, int mpdStride, int scales, int[] msdChannels,
                         int[] msdKernels, int[] msdStrides, int[] msdGroups, float slope) {

        public static Config from(Recipe r) {
            String d = "discriminator.";
            int[] periods = ints(r, d + "periods", 2, 3, 5, 7, 11);
            int[] mpdCh = ints(r, d + "mpd_channels", 32, 128, 512, 1024, 1024);
            int scales = r.integer(d + "scales", 3);
            int[] msdCh = ints(r, d + "msd_channels", 128, 128, 256, 512, 1024, 1024, 1024);
            int n = msdCh.length;
            boolean official = n == 7;
            int[] k = new int[n], s = new int[n], g = new int[n];
            for (int i = 0; i < n; i++) { // defaults: the official 7-layer stack, or its shape for other depths
                k[i] = official ? new int[] {15, 41, 41, 41, 41, 41, 5}[i] : i == 0 ? 15 : i == n - 1 ? 5 : 41;
                s[i] = official ? new int[] {1, 2, 2, 4, 4, 1, 1}[i] : i == 0 || i == n - 1 ? 1 : 4;
                g[i] = official ? new int[] {1, 4, 16, 16, 16, 16, 1}[i] : i == 0 || i == n - 1 ? 1 : 4;
            }
            Config c = new Config(periods, mpdCh, r.integer(d + "mpd_kernel", 5), r.integer(d + "mpd_stride", 3), scales, msdCh,
                    ints(r, d + "msd_kernels", k), ints(r, d + "msd_strides", s), ints(r, d + "msd_groups", g),
                    (float) r.num(d + "lrelu_slope", 0.1));
            if (c.msdKernels.length != n || c.msdStrides.length != n || c.msdGroups.length != n)
                throw new IllegalArgumentException("discriminator.msd_kernels / msd_strides / msd_groups need " + n + " entries");
            if (periods.length == 0 && scales <= 0) throw new IllegalArgumentException("discriminator: no periods and no scales");
            return c;
        }

        private static int[] ints(Recipe r, String key, int... def) {
            List<Double> v = r.numbers(key);
            if (v.isEmpty()) return def;
            return v.stream().mapToInt(Double::intValue).toArray();
        }
    }

    /** The output of one sub-discriminator: its score map (flattened to [B, *]) and its layer outputs. */
    public record Out(NDArray score, List<NDArray> feats) {}

    private final Config c;

    public Discriminator(Config c) { this.c = c; }

    public Config config() { return c; }

    static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }

    /** Groups actually used by MSD layer {@code i} (the configured count, reduced to divide both widths). */
    int msdGroups(int i) {
        int cin = i == 0 ? 1 : c.msdChannels[i - 1];
        return gcd(gcd(c.msdGroups[i], cin), c.msdChannels[i]);
    }

    /** Every tensor: name -> shape (weights [C_out, C_in / groups, k], biases [C_out]). */
    public Map<String, long[]> shapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (int i = 0; i < c.periods.length; i++) {
            int cin = 1;
            for (int l = 0; l < c.mpdChannels.length; l++) {
                conv(m, "mpd." + i + ".convs." + l, c.mpdChannels[l], cin, c.mpdKernel);
                cin = c.mpdChannels[l];
            }
            conv(m, "mpd." + i + ".conv_post", 1, cin, 3);
        }
        for (int i = 0; i < c.scales; i++) {
            int cin = 1;
            for (int l = 0; l < c.msdChannels.length; l++) {
                conv(m, "msd." + i + ".convs." + l, c.msdChannels[l], cin / msdGroups(l), c.msdKernels[l]);
                cin = c.msdChannels[l];
            }
            conv(m, "msd." + i + ".conv_post", 1, cin, 3);
        }
        return m;
    }

    private static void conv(Map<String, long[]> m, String pre, int cout, int cinPerGroup, int k) {
        m.put(pre + ".weight", new long[] {cout, cinPerGroup, k});
        m.put(pre + ".bias", new long[] {cout});
    }

    /** PyTorch's default Conv1d initialisation: weight and bias uniform in +-1/sqrt(fan_in), seeded. */
    public Map<String, NDArray> init(NDManager m, long seed) {
        Random rnd = new Random(seed);
        Map<String, NDArray> p = new LinkedHashMap<>();
        Map<String, long[]> sh = shapes();
        for (var e : sh.entrySet()) {
            String n = e.getKey();
            long[] s = e.getValue();
            long[] ws = sh.get(n.substring(0, n.lastIndexOf('.')) + ".weight");
            double bound = 1 / Math.sqrt(ws[1] * ws[2]);
            float[] v = new float[(int) Arrays.stream(s).reduce(1, (a, b) -> a * b)];
            for (int i = 0; i < v.length; i++) v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
            p.put(n, m.create(v, new Shape(s)));
        }
        return p;
    }

    /** x [B, N] -> one {@link Out} per sub-discriminator (periods first, then scales). */
    public List<Out> forward(Map<String, NDArray> p, NDArray x) {
        List<Out> outs = new ArrayList<>();
        for (int i = 0; i < c.periods.length; i++) outs.add(period(p, "mpd." + i, x, c.periods[i]));
        NDArray y = x.expandDims(1); // [B, 1, N]
        for (int i = 0; i < c.scales; i++) {
            if (i > 0) y = Pool.avgPool1d(y, new Shape(4), new Shape(2), new Shape(2), false, true);
            outs.add(scale(p, "msd." + i, y));
        }
        return outs;
    }

    private Out period(Map<String, NDArray> p, String pre, NDArray x, int period) {
        long B = x.getShape().get(0), N = x.getShape().get(1);
        if (N % period != 0) { // reflect-pad on the right to a whole number of periods
            int pad = (int) (period - N % period);
            NDArray tail = x.get(":, " + (N - 1 - pad) + ":" + (N - 1)).flip(1);
            x = NDArrays.concat(new NDList(x, tail), 1);
            N += pad;
        }
        long rows = N / period;
        // [B, rows, period] -> columns [B * period, 1, rows]: a (k, 1) 2-d conv is a 1-d conv along each column
        NDArray h = x.reshape(B, rows, period).transpose(0, 2, 1).reshape(B * period, 1, rows);
        List<NDArray> feats = new ArrayList<>();
        int L = c.mpdChannels.length;
        for (int l = 0; l < L; l++) {
            int stride = l == L - 1 ? 1 : c.mpdStride;
            h = Activation.leakyRelu(conv(h, p, pre + ".convs." + l, stride, (c.mpdKernel - 1) / 2, 1), c.slope);
            feats.add(h);
        }
        h = conv(h, p, pre + ".conv_post", 1, 1, 1);
        feats.add(h);
        return new Out(h.reshape(B, -1), feats);
    }

    private Out scale(Map<String, NDArray> p, String pre, NDArray y) {
        long B = y.getShape().get(0);
        List<NDArray> feats = new ArrayList<>();
        NDArray h = y;
        for (int l = 0; l < c.msdChannels.length; l++) {
            h = Activation.leakyRelu(conv(h, p, pre + ".convs." + l, c.msdStrides[l], (c.msdKernels[l] - 1) / 2, msdGroups(l)), c.slope);
            feats.add(h);
        }
        h = conv(h, p, pre + ".conv_post", 1, 1, 1);
        feats.add(h);
        return new Out(h.reshape(B, -1), feats);
    }

    private static NDArray conv(NDArray x, Map<String, NDArray> p, String pre, int stride, int pad, int groups) {
        return Conv1d.conv1d(x, p.get(pre + ".weight"), p.get(pre + ".bias"), new Shape(stride), new Shape(pad), new Shape(1),
                groups).head();
    }

    // ------------------------------------------------------------------------------------------ losses

    /**
     * Hinge discriminator loss summed over the sub-discriminators: mean(relu(1 - D(real))) + mean(relu(1 + D(fake))).
     * Returns {total, real part, fake part}.
     */
    public static NDArray[] hingeD(List<Out> real, List<Out> fake) {
        NDArray lr = null, lf = null;
        for (int i = 0; i < real.size(); i++) {
            NDArray a = Activation.relu(real.get(i).score().mul(-1f).add(1f)).mean();
            NDArray b = Activation.relu(fake.get(i).score().add(1f)).mean();
            lr = lr == null ? a : lr.add(a);
            lf = lf == null ? b : lf.add(b);
        }
        return new NDArray[] {lr.add(lf), lr, lf};
    }

    /** Hinge generator loss summed over the sub-discriminators: mean(relu(1 - D(fake))). */
    public static NDArray hingeG(List<Out> fake) {
        NDArray l = null;
        for (Out o : fake) {
            NDArray a = Activation.relu(o.score().mul(-1f).add(1f)).mean();
            l = l == null ? a : l.add(a);
        }
        return l;
    }

    /** Feature matching: the mean over every (sub-discriminator, layer) of the L1 distance to the (constant) real features. */
    public static NDArray featureMatching(List<Out> real, List<Out> fake) {
        NDArray l = null;
        int n = 0;
        for (int i = 0; i < real.size(); i++) {
            List<NDArray> fr = real.get(i).feats(), ff = fake.get(i).feats();
            for (int j = 0; j < fr.size(); j++) {
                NDArray a = ff.get(j).sub(fr.get(j).stopGradient()).abs().mean();
                l = l == null ? a : l.add(a);
                n++;
            }
        }
        return l.div((float) n);
    }

    /** Mean score on real minus mean score on fake, averaged over the sub-discriminators (how well D separates). */
    public static double margin(List<Out> real, List<Out> fake) {
        double s = 0;
        for (int i = 0; i < real.size(); i++)
            s += real.get(i).score().mean().getFloat() - fake.get(i).score().mean().getFloat();
        return s / real.size();
    }
}
