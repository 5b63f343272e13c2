/**
 * Objective evaluation of speech codecs: metrics, reference codecs and reports.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link io.parla.eval.Evaluator#run Evaluator.run(codecName, codec, files, reportDir, progress)}: scores a
 *       {@link io.parla.eval.Codec} on files loaded by an {@link io.parla.eval.Evaluator.AudioReader} and writes an
 *       {@link io.parla.eval.EvalReport} directory ({@code index.html}, {@code results.csv},
 *       {@code results.json}, PNGs) that accumulates codecs across runs.</li>
 *   <li>{@link io.parla.eval.ExternalCodec#parse ExternalCodec.parse("codec2:700C" | "opus:6")}: Debian's Codec 2
 *       and Opus command-line programs as codecs.</li>
 *   <li>{@link io.parla.eval.QualityMetrics#compare QualityMetrics.compare(ref, refRate, decoded, decodedRate,
 *       compensateDelay)}: all scores for one pair; or the single metrics {@link io.parla.eval.Stoi},
 *       {@link io.parla.eval.Estoi}, {@link io.parla.eval.SiSdr}, {@link io.parla.eval.MelDistance},
 *       {@link io.parla.eval.Pitch}, {@link io.parla.eval.DelayCompensation}, {@link io.parla.eval.Bitrate}.</li>
 * </ul>
 * Everything takes mono {@code float[]} samples in [-1, 1] plus a sample rate; audio file I/O belongs to the
 * caller. Rate changes go through {@link io.parla.eval.Resampling}.
 */
package io.parla.eval;
