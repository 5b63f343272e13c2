package io.parla.focalcodec;

import io.parla.core.nn.StateDict;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a full official-layout snapshot ({@code config.json} + {@code model.safetensors}) with random
 * weights, for benchmarks and load tests. Weights are streamed to disk, never held in memory, and drawn so
 * activations stay in range: uniform +-1/sqrt(fan_in) for matrices, unit norms, modest scales.
 */
public final class RandomModel {
    private RandomModel() {}

    public static void write(String configJson, Path dir, DType dtype, long seed) throws IOException {
        FocalCodecConfig config = FocalCodecConfig.parse(configJson, "config");
        Files.createDirectories(dir);
        List<StateDict.Spec> specs = FocalCodec.parameterSpecs(config);
        List<SafeTensorsWriter.Entry> entries = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            StateDict.Spec s = specs.get(i);
            long tensorSeed = seed * 1_000_003L + i;
            float lo, hi;
            switch (s.kind()) {
                case WEIGHT -> {
                    long fanIn = 1;
                    for (int d = 1; d < s.shape().length; d++) fanIn *= s.shape()[d];
                    float b = (float) (1.0 / Math.sqrt(Math.max(1, fanIn)));
                    lo = -b; hi = b;
                }
                case BIAS, NORM_BIAS -> { lo = -0.02f; hi = 0.02f; }
                case NORM_WEIGHT -> { lo = 0.9f; hi = 1.1f; }
                case EMBEDDING -> { lo = -0.5f; hi = 0.5f; }
                default -> {
                    if (s.name().endsWith("gamma")) { lo = 0.05f; hi = 0.15f; }
                    else if (s.name().endsWith("gru_rel_pos_const")) { lo = 0.9f; hi = 1.1f; }
                    else if (s.shape().length == 1 && s.shape()[0] == 1) { lo = 0.4f; hi = 0.6f; }
                    else { lo = 0.8f; hi = 1.2f; }
                }
            }
            final float a = lo, w = hi - lo;
            entries.add(new SafeTensorsWriter.Entry(s.name(), dtype, s.shape(), (first, out) -> {
                SplittableRandom r = new SplittableRandom(tensorSeed ^ (first * 0x9E3779B97F4A7C15L));
                while (out.hasRemaining()) put(out, dtype, a + w * (float) r.nextDouble());
            }));
        }
        Files.writeString(dir.resolve("config.json"), configJson, StandardCharsets.UTF_8);
        SafeTensorsWriter.write(dir.resolve("model.safetensors"), Map.of("format", "pt", "parla", "random-model seed " + seed), entries);
    }

    private static void put(ByteBuffer out, DType dtype, float v) {
        switch (dtype) {
            case F32 -> out.putFloat(v);
            case F16 -> out.putShort(Float.floatToFloat16(v));
            case BF16 -> out.putShort(SafeTensorsWriter.toBf16(v));
            default -> throw new IllegalArgumentException("random weights in " + dtype + " are not supported");
        }
    }
}
