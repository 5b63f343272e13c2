package io.parla.focalcodec;

import io.parla.core.util.ArrayConcat;

import io.parla.core.bitstream.PacketReceiver;
import io.parla.core.bitstream.PacketSender;
import io.parla.core.safetensors.SafeTensors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live encode -> network packets (reordered, lost, duplicated, one foreign, one corrupted) -> receiver -> live
 * decode. Reordering within the window is repaired exactly; a lost packet is concealed by repeating the last
 * token (the documented default), so the decoder gets exactly one token per 20 ms frame and keeps time.
 */
class NetworkStreamingTest {
    @Test
    void decoderKeepsTimeThroughLossAndReordering() {
        try (FocalCodec m = FocalCodec.load(Golden.dir("tiny_causal_50hz_2k")); SafeTensors exp = Golden.expected("tiny_causal_50hz_2k")) {
            float[] sig = exp.get("input.sig").toFloatArray();
            StreamingEncoder enc = new StreamingEncoder(m);
            PacketSender sender = new PacketSender(m.modelHash(), 7, m.quantizer().bits(), 4);
            List<byte[]> packets = new ArrayList<>();
            for (int off = 0; off < sig.length; off += 320) packets.addAll(sender.push(enc.push(sig, off, Math.min(320, sig.length - off))));
            byte[] last = sender.finish();
            if (last != null) packets.add(last);
            int[] sent = ArrayConcat.concat(new int[0], enc.flush());
            assertThat(sent).isEmpty();
            assertThat(packets).hasSize(45); // 44 chunks of 4 tokens, then the end-of-stream packet

            // the network: swap neighbours, lose packet 10, duplicate packet 20, corrupt a copy, inject a foreign one
            List<byte[]> wire = new ArrayList<>(packets);
            Collections.swap(wire, 3, 4);
            Collections.swap(wire, 30, 32);
            wire.remove(10);
            wire.add(19, packets.get(20));
            byte[] bad = packets.get(5).clone();
            bad[bad.length / 2] ^= 0x10;
            wire.add(6, bad);
            PacketSender other = new PacketSender(new byte[32], 1, m.quantizer().bits(), 4);
            wire.add(12, other.push(new int[] {1, 2, 3, 4}).get(0));

            PacketReceiver rx = new PacketReceiver(m.modelHash(), m.quantizer().bits());
            StreamingDecoder dec = new StreamingDecoder(m);
            int tokens = 0;
            float[] audio = new float[0];
            for (byte[] p : wire) {
                rx.accept(p);
                int[] t = rx.poll();
                tokens += t.length;
                audio = ArrayConcat.concat(audio, dec.push(t));
            }
            rx.drain();
            int[] rest = rx.poll();
            tokens += rest.length;
            audio = ArrayConcat.concat(audio, ArrayConcat.concat(dec.push(rest), dec.flush()));
            PacketReceiver.Stats s = rx.stats();
            System.out.println("network: " + s);
            assertThat(tokens).isEqualTo(176);
            assertThat(audio).hasSize(176 * 480);
            assertThat(s.lost()).isEqualTo(1);
            assertThat(s.duplicate()).isEqualTo(1);
            assertThat(s.corrupt()).isEqualTo(1);
            assertThat(s.foreign()).isEqualTo(1);
            for (float v : audio) assertThat(Float.isFinite(v)).isTrue();
        }
    }
}
