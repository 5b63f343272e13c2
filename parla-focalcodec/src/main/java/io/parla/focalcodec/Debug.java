package io.parla.focalcodec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receives intermediate outputs by official module path, like a PyTorch forward hook. Used by the parity
 * tests; {@link #NONE} costs nothing.
 */
public interface Debug {
    Debug NONE = (name, x, frames) -> {};

    /** @param x {@code [frames, C]} activation (owned by the model: copy if kept) */
    void put(String module, float[] x, int frames);

    /** A collector that keeps a copy of everything. */
    static Recorder recorder() {
        return new Recorder();
    }

    final class Recorder implements Debug {
        public final Map<String, float[]> outputs = new LinkedHashMap<>();

        @Override
        public void put(String module, float[] x, int frames) {
            outputs.put(module, x.clone());
        }
    }
}
