package io.parla.core.nn;

/** {@code in_proj -> GELU -> out_proj}, the feed-forward block shared by WavLM and FocalNet. */
public final class FeedForward {
    private final Linear inProj, outProj;

    public FeedForward(StateDict sd, String prefix, int dim, int hidden) {
        this.inProj = new Linear(sd, prefix + ".in_proj", dim, hidden, true);
        this.outProj = new Linear(sd, prefix + ".out_proj", hidden, dim, true);
    }

    public float[] forward(float[] x, int frames) {
        float[] h = inProj.forward(x, frames);
        Activations.gelu(h);
        return outProj.forward(h, frames);
    }
}
