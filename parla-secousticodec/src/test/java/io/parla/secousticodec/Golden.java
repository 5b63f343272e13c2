package io.parla.secousticodec;

import io.parla.core.safetensors.SafeTensors;
import io.parla.core.tensor.Tensor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared access to the golden vectors in src/test/resources/secousticodec (see the README there). */
final class Golden {
    static final Path DIR;

    static {
        try {
            DIR = Path.of(Golden.class.getResource("/secousticodec/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecoustiCodec codec, codec86, codec86Voc;
    private static Map<String, float[]> expected, expected86;

    private Golden() {}

    static SecoustiConfig config() {
        return SecoustiConfig.load(DIR.resolve("config.json"));
    }

    static synchronized SecoustiCodec codec() {
        if (codec == null) codec = SecoustiCodec.load(config(), DIR.resolve("codec.safetensors"),
                DIR.resolve("vocoder.safetensors"));
        return codec;
    }

    /** The 86 Hz-style variant: SEANet ratios [1,1], SEANet weights from tiny86_seanet_weights. */
    static synchronized SecoustiCodec codec86() {
        if (codec86 == null) {
            SecoustiConfig c = config();
            SecoustiConfig.Seanet s = c.seanet();
            SecoustiConfig c86 = new SecoustiConfig(c.sampleRate(), c.nMels(), c.latentDim(), c.fsqLevels(), c.mel(),
                    new SecoustiConfig.Seanet(s.nFilters(), new int[] {1, 1}, s.kernelSize(), s.residualKernelSize(),
                            s.lastKernelSize(), s.compress()), c.transformer(), c.paralinguistic(), c.vocoder());
            try (SafeTensors base = SafeTensors.open(DIR.resolve("codec.safetensors"));
                 SafeTensors sea = SafeTensors.open(DIR.resolve("tiny86_seanet_weights.safetensors"))) {
                Map<String, Tensor> m = new HashMap<>(base.tensors());
                m.putAll(sea.tensors());
                codec86 = SecoustiCodec.fromStateDicts(c86, m, null);
            }
        }
        return codec86;
    }

    /** {@link #codec86()} with the (shared) HiFT vocoder. */
    static synchronized SecoustiCodec codec86WithVocoder() {
        if (codec86Voc == null) {
            SecoustiCodec c = codec86();
            try (SafeTensors base = SafeTensors.open(DIR.resolve("codec.safetensors"));
                 SafeTensors sea = SafeTensors.open(DIR.resolve("tiny86_seanet_weights.safetensors"));
                 SafeTensors voc = SafeTensors.open(DIR.resolve("vocoder.safetensors"))) {
                Map<String, Tensor> m = new HashMap<>(base.tensors());
                m.putAll(sea.tensors());
                codec86Voc = SecoustiCodec.fromStateDicts(c.config(), m, voc.tensors());
            }
        }
        return codec86Voc;
    }

    static synchronized Map<String, float[]> expected() {
        if (expected == null) expected = readAll(DIR.resolve("expected.safetensors"));
        return expected;
    }

    static synchronized Map<String, float[]> expected86() {
        if (expected86 == null) expected86 = readAll(DIR.resolve("tiny86_expected.safetensors"));
        return expected86;
    }

    private static Map<String, float[]> readAll(Path p) {
        Map<String, float[]> m = new HashMap<>();
        try (SafeTensors st = SafeTensors.open(p)) {
            for (Tensor t : st.tensors().values()) m.put(t.name(), t.toFloatArray());
        }
        return m;
    }

    /** A golden {@code [1, C, T]} (conv layout) tensor as Parla's {@code [T, C]}. */
    static float[] convLayout(Map<String, float[]> e, String name, int channels) {
        float[] v = e.get(name);
        return SecoustiOps.transpose(v, channels, v.length / channels);
    }

    /** 16-bit PCM mono WAV as floats (int16 / 32768), like the reference loader. */
    static float[] readWav(Path p) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
            b.position(12);
            while (b.remaining() >= 8) {
                int id = b.getInt(), size = b.getInt();
                if (id == 0x61746164) {  // "data"
                    float[] x = new float[size / 2];
                    for (int i = 0; i < x.length; i++) x[i] = b.getShort() / 32768f;
                    return x;
                }
                b.position(b.position() + size + (size & 1));
            }
            throw new IllegalStateException("no data chunk in " + p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).as("length").hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
        return m;
    }

    /** Prints and asserts the largest absolute error of one stage. */
    static double check(String stage, float[] actual, float[] expected, double tol) {
        double d = maxAbsDiff(actual, expected);
        double ref = 0;
        for (float v : expected) ref = Math.max(ref, Math.abs(v));
        System.out.printf("[secousticodec parity] %-34s max|diff| = %.3e  (max|ref| = %.3g, tol %.0e)%n", stage, d, ref, tol);
        assertThat(d).as(stage + " max abs diff").isLessThanOrEqualTo(tol);
        return d;
    }

    static int[] ints(float[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) r[i] = Math.round(v[i]);
        return r;
    }
}
