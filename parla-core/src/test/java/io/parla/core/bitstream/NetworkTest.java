package io.parla.core.bitstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parla.core.bitstream.PacketReceiver.Concealment;
import io.parla.core.bitstream.PacketReceiver.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NetworkTest {
    private static final byte[] MODEL = Fixtures.sha256(Fixtures.FC_2K);
    private static final byte[] OTHER = Fixtures.sha256(Fixtures.FC_4K);

    /** 10 packets: 9 of 4 tokens, then END_OF_STREAM with 3; token i is i + 100. */
    private static List<byte[]> stream(int firstSequence) {
        PacketSender s = new PacketSender(MODEL, 0x5EED, 11, 4, firstSequence);
        List<byte[]> out = new ArrayList<>(s.push(expected()));
        out.add(s.finish());
        assertThat(out).hasSize(10);
        return out;
    }

    private static int[] expected() {
        int[] t = new int[39];
        for (int i = 0; i < t.length; i++) t[i] = 100 + i;
        return t;
    }

    @Test
    void encodesAndDecodesExactly() {
        NetworkPacket p = new NetworkPacket(65535, NetworkPacket.modelTag(MODEL), -7, 0xFFFF_FFFFL, 11, true,
                new int[] {0, 2047, 5});
        byte[] d = p.encode();
        assertThat(d).hasSize(NetworkPacket.OVERHEAD_BYTES + 5);
        assertThat(NetworkPacket.decode(d, "peer")).isEqualTo(p);
        assertThat(NetworkPacket.decode(d, "peer").encode()).containsExactly(d);
    }

    @Test
    void corruptDatagramsAreRejectedWithAReason() {
        byte[] d = stream(0).get(3);
        for (int bit = 0; bit < d.length * 8; bit++) {
            byte[] bad = d.clone();
            bad[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            assertThatThrownBy(() -> NetworkPacket.decode(bad, "peer")).isInstanceOf(BitstreamException.class);
        }
        for (int len = 0; len < d.length; len++) {
            int l = len;
            assertThatThrownBy(() -> NetworkPacket.decode(d, 0, l, "peer")).isInstanceOf(BitstreamException.class);
        }
        byte[] v2 = d.clone();
        v2[0] = 0x20;
        assertThatThrownBy(() -> NetworkPacket.decode(v2, "peer"))
                .hasMessage("peer: unsupported network packet version 2 (this Parla reads version 1)");
        assertThatThrownBy(() -> new NetworkPacket(0, 0, 0, 0, 11, false, new int[] {5000}))
                .isInstanceOf(BitstreamException.class).hasMessageContaining("token 5000 out of range for an 11-bit");
    }

    @Test
    void inOrderStreamComesOutUnchanged() {
        PacketReceiver r = new PacketReceiver(MODEL, 11);
        for (byte[] d : stream(0)) assertThat(r.accept(d)).isEqualTo(Status.ACCEPTED);
        assertThat(r.poll()).containsExactly(expected());
        assertThat(r.isFinished()).isTrue();
        assertThat(r.stats()).isEqualTo(new PacketReceiver.Stats(10, 0, 0, 0, 0, 0, 39, 0));
    }

    @Test
    void reorderedPacketsWithinTheWindowAreRestored() {
        List<byte[]> packets = stream(65530); // sequence numbers wrap 65535 -> 0 in the middle
        List<byte[]> shuffled = new ArrayList<>(packets.subList(1, 9));
        Collections.shuffle(shuffled, new Random(4));
        PacketReceiver r = new PacketReceiver(MODEL, 11);
        r.accept(packets.get(0));
        shuffled.forEach(r::accept);
        r.accept(packets.get(9));
        assertThat(r.poll()).containsExactly(expected());
        assertThat(r.stats().lost()).isZero();
        assertThat(r.stats().received()).isEqualTo(10);
    }

    @Test
    void lostPacketsAreConcealedPerPolicy() {
        for (Concealment policy : Concealment.values()) {
            PacketReceiver r = new PacketReceiver(MODEL, 11, 2, policy, 7, 3000, "peer");
            List<byte[]> packets = stream(0);
            for (int i = 0; i < packets.size(); i++) if (i != 3 && i != 4) r.accept(packets.get(i));
            int[] out = r.poll();
            List<Integer> want = new ArrayList<>();
            for (int i = 0; i < 39; i++) {
                boolean lost = i >= 12 && i < 20;
                if (!lost) want.add(100 + i);
                else if (policy == Concealment.REPEAT_LAST) want.add(111);
                else if (policy == Concealment.SILENCE_TOKEN) want.add(7);
            }
            assertThat(out).as(policy.name()).containsExactly(want.stream().mapToInt(Integer::intValue).toArray());
            assertThat(r.stats().lost()).isEqualTo(2);
            assertThat(r.stats().concealedTokens()).isEqualTo(8);
            assertThat(r.isFinished()).isTrue();
        }
    }

    @Test
    void aGapWaitsForTheReorderWindowThenIsDeclaredLost() {
        PacketReceiver r = new PacketReceiver(MODEL, 11, 3, Concealment.SILENCE_TOKEN, 0, 3000, "peer");
        List<byte[]> packets = stream(0);
        r.accept(packets.get(0));
        for (int i = 2; i <= 4; i++) r.accept(packets.get(i));
        assertThat(r.available()).isEqualTo(4);
        assertThat(r.heldPackets()).isEqualTo(3);
        r.accept(packets.get(5)); // a 4th held packet exceeds the window: packet 1 is lost
        assertThat(r.heldPackets()).isZero();
        assertThat(r.stats().lost()).isEqualTo(1);
        assertThat(r.accept(packets.get(1))).isEqualTo(Status.LATE);
        assertThat(r.poll()).hasSize(24).startsWith(100, 101, 102, 103, 0, 0, 0, 0, 108);
        r.accept(packets.get(7));
        r.drain();
        assertThat(r.poll()).containsExactly(0, 0, 0, 0, 128, 129, 130, 131);
        assertThat(r.stats().late()).isEqualTo(1);
    }

    @Test
    void duplicatesLateAndForeignPacketsAreCountedAndIgnored() {
        PacketReceiver r = new PacketReceiver(MODEL, 11);
        List<byte[]> packets = stream(0);
        r.accept(packets.get(0));
        r.accept(packets.get(2));
        assertThat(r.accept(packets.get(2))).isEqualTo(Status.DUPLICATE); // held
        r.accept(packets.get(1));
        assertThat(r.accept(packets.get(1))).isEqualTo(Status.DUPLICATE); // delivered
        byte[] otherModel = new PacketSender(OTHER, 0x5EED, 11, 4, 3).push(new int[4]).getFirst();
        assertThat(r.accept(otherModel)).isEqualTo(Status.FOREIGN);
        assertThat(r.lastProblem()).contains("is from another model");
        byte[] otherStream = new PacketSender(MODEL, 0xBAD, 11, 4, 3).push(new int[4]).getFirst();
        assertThat(r.accept(otherStream)).isEqualTo(Status.FOREIGN);
        byte[] corrupt = packets.get(3).clone();
        corrupt[20] ^= 1;
        assertThat(r.accept(corrupt)).isEqualTo(Status.CORRUPT);
        assertThat(r.lastProblem()).isEqualTo("network: network packet: CRC mismatch (data corrupted)");
        for (int i = 3; i < 10; i++) r.accept(packets.get(i));
        assertThat(r.accept(packets.get(5))).isEqualTo(Status.DUPLICATE);
        assertThat(r.poll()).containsExactly(expected());
        assertThat(r.stats()).isEqualTo(new PacketReceiver.Stats(10, 0, 0, 3, 1, 2, 39, 0));
    }

    @Test
    void hugeTokenGapsAreCappedAndMemoryStaysBounded() {
        PacketReceiver r = new PacketReceiver(MODEL, 11, 4, Concealment.REPEAT_LAST, 0, 50, "peer");
        int tag = NetworkPacket.modelTag(MODEL);
        r.accept(new NetworkPacket(0, tag, 1, 0, 11, false, new int[] {1}).encode());
        r.accept(new NetworkPacket(1, tag, 1, 2_000_000_000L, 11, false, new int[] {2}).encode());
        assertThat(r.poll()).hasSize(1 + 50 + 1);
        for (int s = 3; s < 3000; s += 2) {
            r.accept(new NetworkPacket(s & 0xFFFF, tag, 1, 2_000_000_000L + s, 11, false, new int[] {3}).encode());
            assertThat(r.heldPackets()).isLessThanOrEqualTo(4);
        }
    }
}
