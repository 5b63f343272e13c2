package io.parla.focalcodec;

import io.parla.core.kernels.BatchedSteps;
import io.parla.core.safetensors.SafeTensors;
import io.parla.core.util.ArrayConcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live sessions stepped together (one chunk each per step, products merged across sessions) give exactly what each
 * gives alone, while sessions join and leave between steps.
 */
@Timeout(120)
class BatchedStreamingTest {
    static FocalCodec model;
    static float[] sig;

    @BeforeAll
    static void load() {
        model = FocalCodec.load(Golden.dir("tiny_causal_50hz_2k"));
        try (SafeTensors exp = Golden.expected("tiny_causal_50hz_2k")) {
            sig = exp.get("input.sig").toFloatArray();
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Session s hears a different signal: the test input, shifted, scaled and with its own noise. */
    static float[] signal(int s) {
        Random r = new Random(s);
        float[] x = new float[sig.length];
        for (int i = 0; i < x.length; i++) x[i] = 0.8f * sig[(i + 640 * s) % sig.length] + 0.01f * (float) r.nextGaussian();
        return x;
    }

    /** One live round trip: encoder session + decoder session, tokens and audio collected as they come. */
    static final class RoundTrip {
        final StreamingEncoder enc = new StreamingEncoder(model);
        final StreamingDecoder dec = new StreamingDecoder(model);
        int[] toks = new int[0];
        float[] pcm = new float[0];

        Void push(float[] x, int off, int n) {
            int[] t = enc.push(x, off, n);
            toks = ArrayConcat.concat(toks, t);
            pcm = ArrayConcat.concat(pcm, dec.push(t));
            return null;
        }
    }

    @Test
    void sessionsSteppedTogetherMatchSessionsAloneWhileJoiningAndLeaving() throws Exception {
        int sessions = 4, chunk = model.chunkSamples(), chunks = sig.length / chunk;
        assertThat(chunks).isGreaterThanOrEqualTo(4);
        float[][] x = new float[sessions][];
        RoundTrip[] alone = new RoundTrip[sessions], together = new RoundTrip[sessions];
        // session s is live for chunks [s / 2, chunks - (s % 2)): two join late, two leave early
        int[] first = new int[sessions], end = new int[sessions];
        for (int s = 0; s < sessions; s++) {
            x[s] = signal(s);
            first[s] = s / 2;
            end[s] = chunks - (s % 2);
            alone[s] = new RoundTrip();
            together[s] = new RoundTrip();
            for (int c = first[s]; c < end[s]; c++) alone[s].push(x[s], c * chunk, chunk);
        }
        long merged = BatchedSteps.mergedProducts();
        for (int c = 0; c < chunks; c++) {
            List<Callable<Void>> step = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                if (c < first[s] || c >= end[s]) continue;
                RoundTrip rt = together[s];
                float[] xs = x[s];
                int off = c * chunk;
                step.add(() -> rt.push(xs, off, chunk));
            }
            BatchedSteps.run(step);
        }
        assertThat(BatchedSteps.mergedProducts()).as("products shared by sessions").isGreaterThan(merged);
        for (int s = 0; s < sessions; s++) {
            assertThat(together[s].toks).as("tokens of session %d", s).containsExactly(alone[s].toks);
            assertThat(together[s].pcm).as("audio of session %d", s).hasSameSizeAs(alone[s].pcm);
            assertThat(Golden.relError(together[s].pcm, alone[s].pcm)).as("audio of session %d", s).isLessThan(1e-6);
        }
    }
}
