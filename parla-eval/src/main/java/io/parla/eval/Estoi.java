package io.parla.eval;

/**
 * Extended STOI (ESTOI), J. Jensen and C. H. Taal, "An Algorithm for Predicting the Intelligibility of
 * Speech Masked by Modulated Noise Maskers", IEEE/ACM Trans. Audio, Speech, and Language Processing
 * 24(11), 2016, pp. 2009-2022.
 *
 * <p>Uses the same analysis as {@link Stoi} ({@link StoiFrontEnd}), without clipping. Each 30-frame segment
 * is a 15 x 30 matrix of band envelopes (bands x frames) for the clean ({@code X}) and the processed
 * ({@code Y}) signal. Each matrix is first row-normalised (every band's 30 values made zero-mean and unit
 * norm) and then column-normalised (every frame's 15 values made zero-mean and unit norm). The segment's
 * score is the mean over its 30 frames of the inner product of the normalised clean and processed
 * columns, and ESTOI is the mean over segments:
 * <pre>  ESTOI = (1/M) sum_m (1/30) sum_t sum_j Xn_m(j, t) Yn_m(j, t)</pre>
 * A row or column that is exactly constant has no direction; it is left at zero (contributing nothing)
 * where the published implementation perturbs it with machine-epsilon noise.
 */
public final class Estoi {
    private Estoi() {
    }

    /**
     * ESTOI of {@code processed} against {@code clean}, both at {@code rate} Hz and of equal length. Throws
     * {@link IllegalArgumentException} when fewer than 30 non-silent frames (384 ms) remain.
     */
    public static double compute(float[] clean, float[] processed, int rate) {
        return fromEnvelopes(StoiFrontEnd.analyse(clean, processed, rate));
    }

    static double fromEnvelopes(StoiFrontEnd.Envelopes e) {
        int n = StoiFrontEnd.SEGMENT;
        int bands = StoiFrontEnd.BANDS;
        double[][] x = new double[bands][n];
        double[][] y = new double[bands][n];
        int segments = e.segments();
        double sum = 0;
        for (int m = 0; m < segments; m++) {
            for (int j = 0; j < bands; j++) {
                System.arraycopy(e.clean()[j], m, x[j], 0, n);
                System.arraycopy(e.processed()[j], m, y[j], 0, n);
            }
            normaliseRowsThenColumns(x);
            normaliseRowsThenColumns(y);
            double seg = 0;
            for (int j = 0; j < bands; j++) seg += Vectors.dot(x[j], y[j]);
            sum += seg / n;
        }
        return sum / segments;
    }

    private static void normaliseRowsThenColumns(double[][] a) {
        for (double[] row : a) {
            Vectors.centre(row);
            Vectors.scaleToUnitNorm(row);
        }
        int rows = a.length;
        double[] col = new double[rows];
        for (int t = 0; t < a[0].length; t++) {
            for (int j = 0; j < rows; j++) col[j] = a[j][t];
            Vectors.centre(col);
            Vectors.scaleToUnitNorm(col);
            for (int j = 0; j < rows; j++) a[j][t] = col[j];
        }
    }
}
