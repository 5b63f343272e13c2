package io.parla.eval;

/** Small dense-vector helpers in double precision. */
final class Vectors {
    private Vectors() {
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static double mean(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return a.length == 0 ? 0 : s / a.length;
    }

    /** Subtracts the mean in place. */
    static void centre(double[] a) {
        double mu = mean(a);
        for (int i = 0; i < a.length; i++) a[i] -= mu;
    }

    /** Divides by the Euclidean norm in place; an all-zero vector stays zero. */
    static void scaleToUnitNorm(double[] a) {
        double n = norm(a);
        if (n == 0) return;
        for (int i = 0; i < a.length; i++) a[i] /= n;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }
}
