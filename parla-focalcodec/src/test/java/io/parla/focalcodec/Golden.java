package io.parla.focalcodec;

import io.parla.core.safetensors.SafeTensors;
import io.parla.core.tensor.Tensor;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The golden vectors made by the official PyTorch code (see resources/golden/README.md). */
final class Golden {
    static final String[] CASES = {"tiny_noncausal_50hz", "tiny_causal_50hz_2k", "tiny_noncausal_12_5hz"};

    private Golden() {}

    static Path dir(String name) {
        try {
            return Path.of(Golden.class.getResource("/golden/" + name + "/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static SafeTensors expected(String name) {
        return SafeTensors.open(dir(name).resolve("expected.safetensors"));
    }

    static int[] ints(Tensor t) {
        long[] l = t.toLongArray();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) out[i] = Math.toIntExact(l[i]);
        return out;
    }

    /** max |a - b| / max |b|. */
    static double relError(float[] actual, float[] expected) {
        if (actual.length != expected.length)
            throw new AssertionError("length " + actual.length + " != expected " + expected.length);
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < actual.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-30);
    }

    /** Transposes a {@code [C, T]} tensor (the raw Conv1d output layout) into {@code [T, C]}. */
    static float[] transpose(float[] ct, int c, int t) {
        float[] out = new float[ct.length];
        for (int i = 0; i < c; i++) for (int j = 0; j < t; j++) out[j * c + i] = ct[i * t + j];
        return out;
    }
}
