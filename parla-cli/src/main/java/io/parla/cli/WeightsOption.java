package io.parla.cli;

import io.parla.core.tensor.DType;
import picocli.CommandLine.Option;

/** {@code --weights f32|bf16}: the type the weight matrices are computed in. */
final class WeightsOption {
    @Option(names = "--weights", paramLabel = "f32|bf16", defaultValue = "f32",
            description = "Compute with F32 weights, or BF16 (half the memory traffic). Default: ${DEFAULT-VALUE}.")
    String weights;

    DType dtype() {
        return switch (weights.toLowerCase(java.util.Locale.ROOT)) {
            case "f32" -> DType.F32;
            case "bf16" -> DType.BF16;
            default -> throw new IllegalArgumentException("--weights must be f32 or bf16, got '" + weights + "'");
        };
    }
}
