package io.parla.core.util;

import java.util.Arrays;

/** Concatenation of primitive arrays (streaming code appends chunk outputs). */
public final class ArrayConcat {
    private ArrayConcat() {}

    public static int[] concat(int[] a, int[] b) {
        if (a.length == 0) return b;
        if (b.length == 0) return a;
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    public static float[] concat(float[] a, float[] b) {
        if (a.length == 0) return b;
        if (b.length == 0) return a;
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
