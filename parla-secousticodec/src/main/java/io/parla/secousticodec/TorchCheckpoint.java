package io.parla.secousticodec;

import io.parla.core.tensor.Tensor;

import java.nio.file.Path;
import java.util.Map;

final class TorchCheckpoint {
    static TorchCheckpoint read(Path p) { throw new UnsupportedOperationException("todo"); }
    Map<String, Tensor> stateDict(String key) { throw new UnsupportedOperationException("todo"); }
}
