package io.parla.eval;

/**
 * A file that could not be evaluated with a codec, and why. {@code stage} is {@code read} (the audio reader
 * failed), {@code codec} (encoding or decoding failed) or {@code metrics} (the scores could not be
 * computed, e.g. too little speech).
 */
public record FileFailure(String file, String codec, String stage, String reason) {
}
