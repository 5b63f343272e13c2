package io.parla.core.bitstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.parla.core.bitstream.PacketReceiver.Concealment;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of {@link NetworkPacket#decode} and {@link PacketReceiver}; regression mode replays
 * {@code src/test/resources/io/parla/core/bitstream/NetworkFuzzTestInputs/receiveAnything/}. Input layout: one
 * configuration byte (bits 0-4: codebook bits - 1, bits 5-6: concealment policy, bit 7: reorder window 0 instead
 * of 4), then datagrams, each as a u16 big-endian length and that many bytes (the last one may be cut short).
 *
 * <pre>JAZZER_FUZZ=1 ./mvnw -pl parla-core test -Dtest=NetworkFuzzTest -Djazzer.max_duration=10m</pre>
 *
 * The property: decode yields a packet that re-encodes to the same bytes, or a {@link BitstreamException}; the
 * receiver never throws, never holds more than its window, and hands out exactly the tokens its counters say.
 */
class NetworkFuzzTest {
    static final byte[] MODEL = Fixtures.sha256(Fixtures.FC_2K);

    @FuzzTest(maxDuration = "2m")
    void receiveAnything(byte[] data) {
        if (data.length == 0) return;
        int config = data[0] & 0xFF;
        int bits = (config & 0x1F) + 1;
        Concealment policy = Concealment.values()[((config >>> 5) & 3) % Concealment.values().length];
        int window = (config & 0x80) != 0 ? 0 : 4;
        PacketReceiver receiver = new PacketReceiver(MODEL, bits, window, policy, 0, 100, "fuzz");
        long out = 0;
        int pos = 1;
        while (pos + 2 <= data.length) {
            int len = Math.min(((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF), data.length - pos - 2);
            pos += 2;
            byte[] datagram = Arrays.copyOfRange(data, pos, pos + len);
            pos += len;
            try {
                NetworkPacket p = NetworkPacket.decode(datagram, "fuzz");
                assertThat(p.encode()).isEqualTo(datagram);
            } catch (BitstreamException expected) {
                // rejected with a reason: fine
            }
            receiver.accept(datagram);
            assertThat(receiver.heldPackets()).isLessThanOrEqualTo(window);
            out += receiver.poll().length;
        }
        receiver.drain();
        out += receiver.poll().length;
        PacketReceiver.Stats s = receiver.stats();
        assertThat(out).isEqualTo(s.deliveredTokens() + (policy == Concealment.SKIP ? 0 : s.concealedTokens()));
    }
}
