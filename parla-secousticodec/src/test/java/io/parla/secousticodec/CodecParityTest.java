package io.parla.secousticodec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.parla.secousticodec.Golden.check;
import static io.parla.secousticodec.Golden.convLayout;
import static org.assertj.core.api.Assertions.assertThat;

/** Stage-by-stage parity of the codec path with the official implementation's golden vectors. */
class CodecParityTest {
    private static final double MEL_TOL = 2e-4, TOL = 1e-4;

    @Test
    void melFilterbankEqualsLibrosa() {
        float[] basis = MelFrontEnd.slaneyMelBasis(22050, 1024, 80, 0, 8000);
        check("mel_basis", basis, Golden.expected().get("mel_basis"), 1e-7);
    }

    @Test
    void melFrontEnd() {
        Map<String, float[]> e = Golden.expected();
        float[] wav = Golden.readWav(Golden.DIR.resolve("input.wav"));
        check("wav", wav, e.get("wav"), 0);
        check("mel", Golden.codec().sigToFeats(wav, 22050), e.get("mel"), MEL_TOL);
    }

    /** Runs a stage check on the main ("21.5 Hz", ratios [2,2]) or the "86 Hz" (ratios [1,1]) variant. */
    private interface Variant {
        void run(SecoustiCodec c, Map<String, float[]> e, String tag, int tokens);
    }

    private static void onVariant(boolean is86, Variant v) {
        if (is86) v.run(Golden.codec86(), Golden.expected86(), "tiny86 ", 258);
        else v.run(Golden.codec(), Golden.expected(), "", 65);
    }

    /** Encoder (mel → tokens) and decoder (tokens → mel) stages, on both SEANet variants. */
    @ParameterizedTest(name = "{0} stages, 86 Hz variant: {1}")
    @CsvSource({"encoder,false", "encoder,true", "decoder,false", "decoder,true"})
    void stages(String path, boolean is86) {
        onVariant(is86, path.equals("encoder") ? CodecParityTest::encoderStages : CodecParityTest::decoderStages);
    }

    private static void encoderStages(SecoustiCodec c, Map<String, float[]> e, String tag, int tokens) {
        int d = 32;
        float[] mel = Golden.expected().get("mel");
        float[] z = c.featsToLats(mel);
        check(tag + "encoder_out", z, convLayout(e, "encoder_out", d), TOL);
        z = convLayout(e, "encoder_out", d);  // continue from golden inputs so each stage is judged alone
        check(tag + "acoustic_embed", c.latsToAcoustic(z), convLayout(e, "acoustic_embed", d), TOL);
        check(tag + "semantic_hidden", c.semanticTransformer().forward(z, tokens), convLayout(e, "semantic_hidden", d), TOL);
        float[] mu = c.latsToSemanticMean(z);
        check(tag + "semantic_mu", mu, e.get("semantic_mu"), TOL);
        float[] pre = c.fsq().projectIn(e.get("semantic_mu"), tokens);
        check(tag + "fsq_pre", pre, e.get("fsq_pre"), TOL);
        float[] bounded = c.fsq().bound(e.get("fsq_pre"));
        check(tag + "fsq_bounded", bounded, e.get("fsq_bounded"), TOL);
        int[] expectedTokens = Golden.ints(e.get("tokens"));
        assertThat(c.fsq().tokens(e.get("fsq_bounded"), tokens)).as(tag + "tokens from golden bounded").isEqualTo(expectedTokens);
        int[] toks = c.featsToToks(mel);
        System.out.printf("[secousticodec parity] %-34s %d/%d identical%n", tag + "tokens (mel -> tokens)",
                countEqual(toks, expectedTokens), tokens);
        assertThat(toks).as(tag + "tokens end to end from golden mel").isEqualTo(expectedTokens);
        check(tag + "fsq_quantized_out", c.codesToQLats(c.toksToCodes(toks)), e.get("fsq_quantized_out"), TOL);
    }

    private static int countEqual(int[] a, int[] b) {
        int n = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) if (a[i] == b[i]) n++;
        return n;
    }

    @Test
    void tokensFromWaveformEqualGolden() {
        float[] wav = Golden.readWav(Golden.DIR.resolve("input.wav"));
        SecoustiCodec.Encoding enc = Golden.codec().encode(wav, 22050);
        assertThat(enc.tokens()).isEqualTo(Golden.ints(Golden.expected().get("tokens")));
        check("paralinguistic (from wav)", enc.paralinguistic(), Golden.expected().get("paralinguistic_embed"), TOL);
    }

    @Test
    void paralinguisticEncoder() {
        float[] mel = Golden.expected().get("mel");
        check("paralinguistic_embed", Golden.codec().featsToParalinguistic(mel),
                Golden.expected().get("paralinguistic_embed"), TOL);
        check("tiny86 paralinguistic_embed", Golden.codec86().featsToParalinguistic(mel),
                Golden.expected86().get("paralinguistic_embed"), TOL);
        // prompt length 300 > T = 258: the reference's negative-start slice keeps frames [237, 258) only
        int[] r = ParalinguisticEncoder.promptRange(258, 300);
        assertThat(r).containsExactly(237, 258);
        float[] seg = java.util.Arrays.copyOfRange(mel, 237 * 80, 258 * 80);
        check("paralinguistic_embed_prompt300", Golden.codec().promptToParalinguistic(seg),
                Golden.expected().get("paralinguistic_embed_prompt300"), TOL);
    }

    @Test
    void promptSelectionFollowsPythonSlices() {
        assertThat(ParalinguisticEncoder.promptRange(1000, 300)).containsExactly(350, 650);
        assertThat(ParalinguisticEncoder.promptRange(258, 128)).containsExactly(65, 193);
        assertThat(ParalinguisticEncoder.promptRange(299, 300)).containsExactly(298, 299);
        assertThat(ParalinguisticEncoder.promptRange(100, 300)).containsExactly(0, 100);
        assertThat(ParalinguisticEncoder.promptRange(1, 300)).containsExactly(0, 1);
    }

    private static void decoderStages(SecoustiCodec c, Map<String, float[]> e, String tag, int tokens) {
        int d = 32;
        int[] toks = Golden.ints(e.get("tokens"));
        float[] codes = c.toksToCodes(toks);
        check(tag + "token_codes", codes, e.get("token_codes"), 0);
        float[] lat = c.codesToQLats(codes);
        check(tag + "token_latent", lat, convLayout(e, "token_latent", d), TOL);
        float[] p = e.get("paralinguistic_embed");
        check(tag + "connector_out", c.connect(convLayout(e, "token_latent", d), p), convLayout(e, "connector_out", d), TOL);
        check(tag + "dec_transformer_out_token", c.decoderTransformer(convLayout(e, "connector_out", d)),
                convLayout(e, "dec_transformer_out_token", d), TOL);
        check(tag + "mel_token", c.toksToFeats(toks, p), e.get("mel_token"), TOL);
        check(tag + "dec_transformer_out_acoustic", c.decoderTransformer(convLayout(e, "acoustic_embed", d)),
                convLayout(e, "dec_transformer_out_acoustic", d), TOL);
        check(tag + "mel_acoustic", c.decodeLats(convLayout(e, "acoustic_embed", d)), e.get("mel_acoustic"), TOL);
    }
}
