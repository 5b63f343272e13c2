package io.parla.secousticodec;

import io.parla.core.safetensors.SafeTensors;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import io.parla.secousticodec.TorchCheckpoint.TorchCheckpointException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TorchCheckpointTest {
    @TempDir
    Path tmp;

    private static Map<String, Tensor> tinyStateDict() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("layer.weight", Tensor.ofFloats("layer.weight", new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        MemorySegment h = Arena.ofAuto().allocate(4);
        h.set(Tensor.I16_LE, 0, Float.floatToFloat16(0.5f));
        h.set(Tensor.I16_LE, 2, Float.floatToFloat16(-2f));
        sd.put("layer.bias", new Tensor("layer.bias", DType.F16, new int[] {2}, h));
        MemorySegment l = Arena.ofAuto().allocate(8);
        l.set(Tensor.I64_LE, 0, 123L);
        sd.put("bn.num_batches_tracked", new Tensor("bn.num_batches_tracked", DType.I64, new int[0], l));
        return sd;
    }

    @Test
    void readsHandBuiltStateDict() throws IOException {
        Path f = tmp.resolve("tiny.pt");
        PtFiles.write(f, tinyStateDict(), false);
        Map<String, Tensor> sd = TorchCheckpoint.read(f).stateDict(null);
        assertThat(sd.keySet()).containsExactly("layer.weight", "layer.bias", "bn.num_batches_tracked");
        assertThat(sd.get("layer.weight").shape()).containsExactly(2, 3);
        assertThat(sd.get("layer.weight").toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(sd.get("layer.bias").dtype()).isEqualTo(DType.F16);
        assertThat(sd.get("layer.bias").toFloatArray()).containsExactly(0.5f, -2f);
        assertThat(sd.get("bn.num_batches_tracked").rank()).isZero();
        assertThat(sd.get("bn.num_batches_tracked").getLong(0)).isEqualTo(123L);
    }

    @Test
    void unwrapsModelKey() throws IOException {
        Path f = tmp.resolve("wrapped.pt");
        PtFiles.write(f, tinyStateDict(), true);
        assertThat(TorchCheckpoint.read(f).stateDict("model")).hasSize(3);
        assertThatThrownBy(() -> TorchCheckpoint.read(f).stateDict(null))
                .isInstanceOf(TorchCheckpointException.class).hasMessageContaining("'model' is not a tensor");
    }

    /** The golden codec and vocoder as .pt files (vocoder with legacy weight_g / weight_v names) load and agree. */
    @Test
    void codecLoadsFromPtWithLegacyWeightNormNames() throws IOException {
        Path codecPt = tmp.resolve("codec.pt"), hiftPt = tmp.resolve("hift.pt");
        try (SafeTensors c = SafeTensors.open(Golden.DIR.resolve("codec_weights.safetensors"));
             SafeTensors h = SafeTensors.open(Golden.DIR.resolve("hift_weights.safetensors"))) {
            PtFiles.write(codecPt, c.tensors(), true);
            Map<String, Tensor> legacy = new LinkedHashMap<>();
            for (Tensor t : h.tensors().values()) {
                String n = t.name().replace(".parametrizations.weight.original0", ".weight_g")
                        .replace(".parametrizations.weight.original1", ".weight_v");
                legacy.put(n, t);
            }
            assertThat(legacy.keySet()).anyMatch(k -> k.endsWith(".weight_g"));
            PtFiles.write(hiftPt, legacy, false);
        }
        SecoustiCodec pt = SecoustiCodec.load(Golden.config(), codecPt, hiftPt);
        Map<String, float[]> e = Golden.expected();
        int[] toks = pt.featsToToks(e.get("mel"));
        assertThat(toks).isEqualTo(Golden.ints(e.get("tokens")));
        float[] post = pt.vocoderConvPost(e.get("mel_token"), e.get("hift_source"));
        assertThat(post).isEqualTo(Golden.codec().vocoderConvPost(e.get("mel_token"), e.get("hift_source")));
    }

    private Path archive(byte[] pickle, Map<String, byte[]> records) throws IOException {
        Path f = Files.createTempFile(tmp, "t", ".pt");
        PtFiles.writeArchive(f, pickle, records);
        return f;
    }

    @Test
    void refusesOsSystemGlobal() throws IOException {
        PtFiles.Pickle p = new PtFiles.Pickle();
        p.op(0x80, 2).global("os", "system").str("echo pwned").op(0x85, 'R', '.');
        Path f = archive(p.bytes(), Map.of());
        assertThatThrownBy(() -> TorchCheckpoint.read(f)).isInstanceOf(TorchCheckpointException.class)
                .hasMessageContaining("GLOBAL 'os.system'").hasMessageContaining("not allowed");
    }

    @Test
    void refusesUnknownOpcodes() throws IOException {
        for (int op : new int[] {0x81 /* NEWOBJ */, 'i' /* INST */, 'R' - 1 /* PERSID 'P' */, ']' /* EMPTY_LIST */}) {
            PtFiles.Pickle p = new PtFiles.Pickle();
            p.op(0x80, 2).op(op, '.');
            Path f = archive(p.bytes(), Map.of());
            assertThatThrownBy(() -> TorchCheckpoint.read(f)).isInstanceOf(TorchCheckpointException.class)
                    .hasMessageContaining(String.format("opcode 0x%02x", op)).hasMessageContaining("offset 2");
        }
    }

    @Test
    void refusesReduceOnStorageTypeAndStackGlobalTricks() throws IOException {
        PtFiles.Pickle p = new PtFiles.Pickle();
        p.op(0x80, 2).global("torch", "FloatStorage").op(')', 'R', '.');
        Path f = archive(p.bytes(), Map.of());
        assertThatThrownBy(() -> TorchCheckpoint.read(f)).hasMessageContaining("REDUCE of 'torch.FloatStorage'");
        PtFiles.Pickle q = new PtFiles.Pickle();
        q.op(0x80, 4).str("builtins").str("eval").op(0x93, '.');
        Path g = archive(q.bytes(), Map.of());
        assertThatThrownBy(() -> TorchCheckpoint.read(g)).hasMessageContaining("GLOBAL 'builtins.eval'");
    }

    @Test
    void boundsStringsNestingAndMemo() throws IOException {
        PtFiles.Pickle huge = new PtFiles.Pickle();
        huge.op(0x80, 2, 'X').u32(0xfffffff0L);
        Path f = archive(huge.bytes(), Map.of());
        assertThatThrownBy(() -> TorchCheckpoint.read(f)).hasMessageContaining("exceeds the limit");
        PtFiles.Pickle deep = new PtFiles.Pickle();
        deep.op(0x80, 2);
        for (int i = 0; i < 100; i++) deep.op('(');
        Path g = archive(deep.bytes(), Map.of());
        assertThatThrownBy(() -> TorchCheckpoint.read(g)).hasMessageContaining("nesting deeper than");
        PtFiles.Pickle memo = new PtFiles.Pickle();
        memo.op(0x80, 2, 'h', 7, '.');
        Path h = archive(memo.bytes(), Map.of());
        assertThatThrownBy(() -> TorchCheckpoint.read(h)).hasMessageContaining("memo entry 7");
        PtFiles.Pickle cyclic = new PtFiles.Pickle();  // d = {}; d['self'] = d
        cyclic.op(0x80, 2, '}', 'q', 0).str("self").op('h', 0, 's', '.');
        Path j = archive(cyclic.bytes(), Map.of());
        assertThatThrownBy(() -> TorchCheckpoint.read(j)).hasMessageContaining("self-referencing");
        PtFiles.Pickle cut = new PtFiles.Pickle();
        cut.op(0x80, 2, '}');
        Path i = archive(cut.bytes(), Map.of());
        assertThatThrownBy(() -> TorchCheckpoint.read(i)).hasMessageContaining("without STOP");
    }

    @Test
    void refusesTruncatedZip() throws IOException {
        Path f = tmp.resolve("ok.pt");
        PtFiles.write(f, tinyStateDict(), false);
        byte[] all = Files.readAllBytes(f);
        Path cut = tmp.resolve("cut.pt");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> TorchCheckpoint.read(cut)).isInstanceOf(TorchCheckpointException.class)
                .hasMessageContaining("not a readable zip archive");
        Path notZip = tmp.resolve("junk.pt");
        Files.writeString(notZip, "hello");
        assertThatThrownBy(() -> TorchCheckpoint.read(notZip)).isInstanceOf(TorchCheckpointException.class);
    }

    @Test
    void refusesStorageSizeMismatchAndMissingRecords() throws IOException {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("w", Tensor.ofFloats("w", new float[] {1, 2, 3, 4}, 2, 2));
        byte[] pkl = PtFiles.statePickle(sd, false);
        Path shortRecord = archive(pkl, Map.of("0", new byte[12]));
        assertThatThrownBy(() -> TorchCheckpoint.read(shortRecord)).hasMessageContaining("declares 4 x F32 = 16 bytes but its record has 12");
        Path missing = archive(pkl, Map.of());
        assertThatThrownBy(() -> TorchCheckpoint.read(missing)).hasMessageContaining("data/0 is missing");
    }

    @Test
    void refusesTensorLargerThanItsStorage() throws IOException {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("w", Tensor.ofFloats("w", new float[] {1, 2, 3, 4}, 2, 2));
        byte[] pkl = PtFiles.statePickle(sd, false);
        // patch the declared storage numel (BININT1 4 after "cpu") down to 3: view of 4 elements no longer fits
        byte[] patched = pkl.clone();
        int at = indexOf(patched, "cpu".getBytes()) + 3;
        assertThat(patched[at]).isEqualTo((byte) 'K');
        patched[at + 1] = 3;
        Path f = archive(patched, Map.of("0", new byte[12]));
        assertThatThrownBy(() -> TorchCheckpoint.read(f)).hasMessageContaining("lies outside its storage of 3");
    }

    private static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i + b.length <= a.length; i++) {
            for (int j = 0; j < b.length; j++) if (a[i + j] != b[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void misShapedCheckpointTensorIsReportedByTheCodecLoader() throws IOException {
        Path codecPt = tmp.resolve("codec.pt");
        try (SafeTensors c = SafeTensors.open(Golden.DIR.resolve("codec_weights.safetensors"))) {
            Map<String, Tensor> sd = new LinkedHashMap<>(c.tensors());
            sd.put("fsq.project_in.bias", Tensor.ofFloats("fsq.project_in.bias", new float[9], 9));
            PtFiles.write(codecPt, sd, true);
        }
        assertThatThrownBy(() -> SecoustiCodec.load(Golden.config(), codecPt, null))
                .isInstanceOf(CheckpointMismatchException.class)
                .hasMessageContaining("fsq.project_in.bias: expected [8], found [9]");
    }
}
