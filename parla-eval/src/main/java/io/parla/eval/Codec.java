package io.parla.eval;

/**
 * A codec under evaluation, seen as a black box: mono samples in [-1, 1] at {@code rate} Hz go in, the
 * decoded signal and its bitrate come out. Neural codecs, {@link ExternalCodec} and test doubles all fit.
 * Exceptions are captured per file by the {@link Evaluator}.
 */
@FunctionalInterface
public interface Codec {
    DecodedSignal run(float[] samples, int rate) throws Exception;
}
