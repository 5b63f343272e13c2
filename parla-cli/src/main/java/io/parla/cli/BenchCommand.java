package io.parla.cli;

import io.parla.core.json.Json;
import io.parla.core.kernels.Kernels;
import io.parla.core.kernels.BatchedSteps;
import io.parla.core.kernels.Parallel;
import io.parla.core.tensor.DType;
import io.parla.focalcodec.FlopCounter;
import io.parla.focalcodec.FocalCodec;
import io.parla.focalcodec.OfficialConfigs;
import io.parla.focalcodec.RandomModel;
import io.parla.focalcodec.StreamingDecoder;
import io.parla.focalcodec.StreamingEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;

@Command(name = "bench", mixinStandardHelpOptions = true, description = {
        "Measure speed: x-real-time, encode/decode split, chunk latency, memory, load time, time to first token, GFLOP/s.",
        "Offline: sigToToks + toksToSig on S seconds of audio.",
        "--streaming: the live encoder + decoder sessions in chunk pushes, per-chunk latency percentiles.",
        "--streams N: N sessions at once, stepped together so that each weight read serves all N (--independent: one thread each);",
        "do all N keep up with real time?"})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--config", paramLabel = "official:NAME|FILE",
            description = "Benchmark a random-weight model of this configuration (written to a temporary folder).")
    String config;

    @Option(names = "--streaming", description = "Run the streaming encoder + decoder sessions (causal models).")
    boolean streaming;

    @Option(names = "--independent", description = "With --streams: run the sessions on independent threads instead of "
            + "batched steps that share each weight read (for comparison).")
    boolean independent;

    @Option(names = "--streams", paramLabel = "N", defaultValue = "1",
            description = "Concurrent streaming sessions, one thread each (implies --streaming). Default ${DEFAULT-VALUE}.")
    int streams;

    @Option(names = "--seconds", paramLabel = "S",
            description = "Seconds of audio to time (default 10, or the whole --input file).")
    Double seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "3",
            description = "Seconds of audio run through the same path, untimed, before measuring (JIT warm-up). Default ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--input", paramLabel = "FILE", description = "A WAV/FLAC file instead of the synthetic speech-like signal (looped or cut to --seconds).")
    Path input;

    @Option(names = "--push-ms", paramLabel = "MS", description = "Streaming: audio per push in ms (default: one chunk, 80 ms).")
    Double pushMs;

    @Option(names = "--paced", description = "Streaming: push audio at real-time pace; latency then counts from when a chunk's audio is complete.")
    boolean paced;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random weights (with --config).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--markdown", description = "Print one Markdown table row instead of the table (for scripts/bench-official.sh).")
    boolean markdown;

    @Option(names = "--markdown-header", description = "Print the header of the --markdown rows and exit.")
    boolean markdownHeader;

    @Option(names = "--save-json", paramLabel = "FILE", description = "Also write the JSON object to FILE.")
    Path saveJson;

    @Override
    public Integer call() throws Exception {
        if (markdownHeader) {
            System.out.println(MARKDOWN_HEADER);
            return 0;
        }
        if (config != null && model.model != null) throw new IllegalArgumentException("give either --model or --config, not both");
        if (streams < 1) throw new IllegalArgumentException("--streams must be at least 1");
        if (streams > 1) streaming = true;
        if (warmup < 0) throw new IllegalArgumentException("--warmup must not be negative");
        if (seconds != null && !(seconds > 0)) throw new IllegalArgumentException("--seconds must be positive");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("format", "parla-bench");
        r.put("version", 1L);
        r.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        r.put("machine", machine());
        DType dtype = model.weightType() == null ? DType.F32 : model.weightType(); // of random weights
        Path tmp = null;
        Thread cleanup = null;
        try {
            Path dir;
            Map<String, Object> m = new LinkedHashMap<>();
            if (config != null) {
                String cfg = config.startsWith("official:") ? OfficialConfigs.json(config) : Files.readString(Path.of(config));
                tmp = Files.createTempDirectory("parla-bench-");
                final Path doomed = tmp;
                cleanup = Thread.ofPlatform().unstarted(() -> {
                    try {
                        deleteRecursively(doomed);
                    } catch (IOException ignored) {
                        // best effort on Ctrl-C
                    }
                });
                Runtime.getRuntime().addShutdownHook(cleanup);
                long t0 = System.nanoTime();
                RandomModel.write(cfg, tmp, dtype, seed);
                m.put("random_weights_write_s", round((System.nanoTime() - t0) / 1e9, 2));
                dir = tmp;
            } else {
                dir = model.resolve();
            }
            long t0 = System.nanoTime();
            try (FocalCodec codec = FocalCodec.load(dir, config != null ? dtype : model.weightType())) {
                double loadMs = (System.nanoTime() - t0) / 1e6;
                m.put("name", config != null ? config : codec.modelName());
                m.put("random_weights", config != null);
                m.put("weights", config != null ? dtype.name()
                        : io.parla.core.nn.StateDict.computeType(codec.weightsFile().tensors(), model.weightType()).name());
                m.put("causal", codec.causal());
                m.put("parameters", codec.parameterCounts().get("total"));
                m.put("bitrate_bps", codec.config().bitrate());
                m.put("load_ms", round(loadMs, 1));
                r.put("model", m);
                run(codec, r);
            }
        } finally {
            if (tmp != null) deleteRecursively(tmp);
            if (cleanup != null) Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        r.put("load_average_end", loadAverage());
        memory(r);
        if (saveJson != null) Files.writeString(saveJson, Json.write(r, 2) + "\n");
        if (json) System.out.println(Json.write(r, 2));
        else if (markdown) System.out.println(markdownRow(r));
        else System.out.print(table(r));
        return 0;
    }

    // ------------------------------------------------------------------ measurement

    private void run(FocalCodec m, Map<String, Object> r) throws Exception {
        if (streaming && !m.causal())
            throw new IllegalArgumentException(m.directory() + ": this model is not causal and cannot stream; drop --streaming");
        int rate = m.sampleRateInput();
        float[] sig = signal(rate);
        int warmSamples = (int) Math.round(warmup * rate);
        float[] warm = Arrays.copyOf(sig, Math.min(sig.length, Math.max(warmSamples, 0)));
        double audioS = sig.length / (double) rate;
        r.put("mode", streaming ? "streaming" : "offline");
        r.put("streams", (long) (streaming ? streams : 1));
        r.put("input", input == null ? "synthetic speech-like signal" : input.toString());
        r.put("audio_seconds", round(audioS, 3));
        r.put("warmup_seconds", round(warm.length / (double) rate, 3));

        // time to first token, cold: right after loading, before any warm-up
        long t0 = System.nanoTime();
        if (m.causal()) {
            StreamingEncoder enc = new StreamingEncoder(m);
            int[] toks = enc.push(sig, 0, Math.min(sig.length, m.chunkSamples()));
            if (toks.length == 0) toks = enc.flush();
            r.put("time_to_first_token_ms", round((System.nanoTime() - t0) / 1e6, 1));
            long t1 = System.nanoTime();
            StreamingDecoder dec = new StreamingDecoder(m);
            float[] pcm = dec.push(toks);
            if (pcm.length == 0) dec.flush();
            r.put("time_to_first_audio_ms", round((System.nanoTime() - t0) / 1e6, 1));
            r.put("first_chunk_decode_ms", round((System.nanoTime() - t1) / 1e6, 1));
            r.put("first_token_note", "cold, first " + m.chunkSamples() + "-sample chunk after load");
        } else {
            m.sigToToks(Arrays.copyOf(sig, Math.min(sig.length, rate)));
            r.put("time_to_first_token_ms", round((System.nanoTime() - t0) / 1e6, 1));
            r.put("first_token_note", "cold, offline sigToToks of the first second after load");
        }
        if (streaming) streamingRun(m, sig, warm, r);
        else offlineRun(m, sig, warm, r);
    }

    private void offlineRun(FocalCodec m, float[] sig, float[] warm, Map<String, Object> r) {
        if (warm.length > 0) m.toksToSig(m.sigToToks(warm));
        long t0 = System.nanoTime();
        int[] toks = m.sigToToks(sig);
        long t1 = System.nanoTime();
        m.toksToSig(toks);
        long t2 = System.nanoTime();
        double enc = (t1 - t0) / 1e9, dec = (t2 - t1) / 1e9, audio = sig.length / (double) m.sampleRateInput();
        FlopCounter.Count flops = FlopCounter.offline(m.config(), sig.length);
        r.put("x_real_time", round(audio / (enc + dec), 3));
        r.put("encode_seconds", round(enc, 4));
        r.put("decode_seconds", round(dec, 4));
        r.put("encode_x_real_time", round(audio / enc, 3));
        r.put("decode_x_real_time", round(audio / dec, 3));
        r.put("encode_share", round(enc / (enc + dec), 3));
        r.put("gflop_per_audio_second", round(flops.gflopPerAudioSecond(), 2));
        r.put("gflop_per_second", round(flops.total() / 1e9 / (enc + dec), 2));
        r.put("encode_gflop_per_second", round(flops.encodeTotal() / 1e9 / enc, 2));
        r.put("decode_gflop_per_second", round(flops.decodeTotal() / 1e9 / dec, 2));
    }

    /** One session's measurements. */
    private record Session(double[] chunkMs, double encodeS, double decodeS, double computeS) {}

    private void streamingRun(FocalCodec m, float[] sig, float[] warm, Map<String, Object> r) throws Exception {
        int rate = m.sampleRateInput();
        int push = pushMs == null ? m.chunkSamples() : Math.max(1, (int) Math.round(pushMs * rate / 1000));
        double periodMs = 1000.0 * m.chunkSamples() / rate;
        if (warm.length > 0) session(m, warm, push, false);
        List<Session> sessions = new ArrayList<>();
        long wall;
        long merged0 = BatchedSteps.mergedProducts();
        if (streams == 1) {
            long t0 = System.nanoTime();
            sessions.add(session(m, sig, push, paced));
            wall = System.nanoTime() - t0;
        } else if (!independent) {
            long t0 = System.nanoTime();
            sessions.addAll(sessions(m, sig, push, paced, streams));
            wall = System.nanoTime() - t0;
        } else {
            Session[] out = new Session[streams];
            Throwable[] error = new Throwable[1];
            CyclicBarrier start = new CyclicBarrier(streams + 1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                final int k = i;
                threads.add(Thread.ofPlatform().name("parla-stream-" + i).start(() -> {
                    try {
                        start.await();
                        out[k] = session(m, sig, push, paced);
                    } catch (Throwable e) {
                        synchronized (error) {
                            if (error[0] == null) error[0] = e;
                        }
                    }
                }));
            }
            start.await();
            long t0 = System.nanoTime();
            for (Thread t : threads) t.join();
            wall = System.nanoTime() - t0;
            if (error[0] != null) throw new IllegalStateException("a streaming session failed: " + error[0], error[0]);
            sessions.addAll(Arrays.asList(out));
        }
        if (streams > 1) {
            r.put("batching", independent ? "independent threads (no shared weight reads)" : "batched steps (shared weight reads)");
            r.put("merged_products", BatchedSteps.mergedProducts() - merged0);
        }
        double audio = sig.length / (double) rate;
        double wallS = wall / 1e9;
        double enc = sessions.stream().mapToDouble(Session::encodeS).sum();
        double dec = sessions.stream().mapToDouble(Session::decodeS).sum();
        double[] all = sessions.stream().flatMapToDouble(s -> Arrays.stream(s.chunkMs())).sorted().toArray();
        double worstP99 = sessions.stream().mapToDouble(s -> StreamCommand.pct(sorted(s.chunkMs()), 99)).max().orElse(0);
        double slowest = sessions.stream().mapToDouble(Session::computeS).max().orElse(wallS);
        FlopCounter.Count flops = FlopCounter.streaming(m.config(), sig.length);
        r.put("push_samples", (long) push);
        r.put("chunk_samples", (long) m.chunkSamples());
        r.put("chunk_period_ms", round(periodMs, 1));
        r.put("paced", paced);
        r.put("chunks", (long) all.length);
        // unpaced, the sessions compute back to back, so wall time is compute time; paced, wall time is at least the
        // audio's duration, and the slowest session's own compute time is the measure
        double computeS = paced ? slowest : wallS;
        r.put("x_real_time", round(streams * audio / computeS, 3));
        r.put("x_real_time_per_stream", round(audio / slowest, 3));
        r.put("wall_seconds", round(wallS, 3));
        r.put("encode_share", round(enc / (enc + dec), 3));
        r.put("encode_x_real_time", round(streams * audio / enc, 3));
        r.put("decode_x_real_time", round(streams * audio / dec, 3));
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", round(StreamCommand.pct(all, 50), 2));
        lat.put("p95", round(StreamCommand.pct(all, 95), 2));
        lat.put("p99", round(StreamCommand.pct(all, 99), 2));
        lat.put("max", round(all.length == 0 ? 0 : all[all.length - 1], 2));
        r.put("chunk_latency_ms", lat);
        r.put("worst_stream_p99_ms", round(worstP99, 2));
        r.put("keeps_up", worstP99 < periodMs);
        r.put("gflop_per_audio_second", round(flops.gflopPerAudioSecond(), 2));
        r.put("gflop_per_second", round(streams * flops.total() / 1e9 / computeS, 2));
    }

    /** One live encoder + decoder session and what it measured. */
    private static final class Lane {
        final StreamingEncoder enc;
        final StreamingDecoder dec;
        final double[] chunkMs;
        int chunks;
        long encNs, decNs;

        Lane(FocalCodec m, int sigLength, int push) {
            enc = new StreamingEncoder(m);
            dec = new StreamingDecoder(m);
            chunkMs = new double[sigLength / Math.max(1, Math.min(push, m.chunkSamples())) + 4];
        }

        /** Pushes {@code sig[off, off + n)} through encoder and decoder; returns the number of tokens produced. */
        int push(float[] sig, int off, int n, boolean last) {
            long t0 = System.nanoTime();
            int[] toks = enc.push(sig, off, n);
            if (last) toks = io.parla.core.util.ArrayConcat.concat(toks, enc.flush());
            long t1 = System.nanoTime();
            dec.push(toks);
            if (last) dec.flush();
            encNs += t1 - t0;
            decNs += System.nanoTime() - t1;
            return toks.length;
        }

        Session result() {
            return new Session(Arrays.copyOf(chunkMs, chunks), encNs / 1e9, decNs / 1e9, (encNs + decNs) / 1e9);
        }
    }

    /**
     * {@code count} sessions over {@code sig}, stepped together push by push with {@link BatchedSteps} (one
     * session: inline): every weight matrix is read once per step for all sessions. A session's chunk latency is
     * the duration of the step that produced it (all sessions of a step finish together).
     */
    private static List<Session> sessions(FocalCodec m, float[] sig, int push, boolean paced, int count) throws Exception {
        int rate = m.sampleRateInput();
        List<Lane> lanes = new ArrayList<>();
        for (int i = 0; i < count; i++) lanes.add(new Lane(m, sig.length, push));
        long start = System.nanoTime();
        for (int off = 0; off < sig.length; off += push) {
            int n = Math.min(push, sig.length - off);
            boolean last = off + n >= sig.length;
            long due = start + (long) ((off + n) * 1e9 / rate);
            if (paced) sleepUntil(due);
            final int at = off;
            List<java.util.concurrent.Callable<Integer>> step = new ArrayList<>();
            for (Lane lane : lanes) step.add(() -> lane.push(sig, at, n, last));
            long t0 = System.nanoTime();
            List<Integer> produced = BatchedSteps.run(step);
            double ms = (System.nanoTime() - (paced ? due : t0)) / 1e6;
            for (int i = 0; i < count; i++) {
                Lane lane = lanes.get(i);
                if (produced.get(i) > 0 && lane.chunks < lane.chunkMs.length) lane.chunkMs[lane.chunks++] = ms;
            }
        }
        List<Session> out = new ArrayList<>();
        for (Lane lane : lanes) out.add(lane.result());
        return out;
    }

    /** Runs one encoder + decoder session over {@code sig} in pushes of {@code push} samples. */
    private static Session session(FocalCodec m, float[] sig, int push, boolean paced) throws Exception {
        return sessions(m, sig, push, paced, 1).get(0);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }

    private static double[] sorted(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c;
    }

    private float[] signal(int rate) {
        double want = seconds == null ? 10 : seconds;
        if (input == null) {
            return SyntheticSpeech.generate((int) Math.round(want * rate), rate, 7);
        }
        float[] file = AudioIO.readAt(input, rate);
        if (file.length == 0) throw new IllegalArgumentException(input + ": no samples");
        int n = seconds == null ? file.length : (int) Math.round(want * rate);
        float[] out = new float[n];
        for (int off = 0; off < n; off += file.length) System.arraycopy(file, 0, out, off, Math.min(file.length, n - off));
        return out;
    }

    // ------------------------------------------------------------------ environment

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("cores", (long) Runtime.getRuntime().availableProcessors());
        m.put("kernel_threads", (long) Parallel.threads());
        m.put("matmul", Kernels.matmul().name());
        m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("load_average_start", loadAverage());
        return m;
    }

    /**
     * The CPU's name, with its family and model and widest vector extension: cloud hosts often report a bare
     * "AMD EPYC" for generations whose speed differs twofold.
     */
    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            Map<String, String> first = new LinkedHashMap<>();
            for (String l : lines) {
                if (l.isBlank()) break;
                int colon = l.indexOf(':');
                if (colon > 0) first.putIfAbsent(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
            }
            String name = first.getOrDefault("model name", System.getProperty("os.arch"));
            List<String> flags = List.of(first.getOrDefault("flags", "").split("\\s+"));
            String isa = flags.contains("avx512_vnni") ? "AVX-512 VNNI" : flags.contains("avx512f") ? "AVX-512"
                    : flags.contains("avx2") ? "AVX2" : null;
            StringBuilder b = new StringBuilder(name);
            if (first.containsKey("cpu family")) b.append(" (family ").append(first.get("cpu family")).append(" model ")
                    .append(first.getOrDefault("model", "?")).append(isa != null ? ", " + isa : "").append(')');
            return b.toString();
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }

    /** The 1, 5 and 15-minute load averages, or an empty list where /proc/loadavg is missing. */
    static List<Object> loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return List.of(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static void memory(Map<String, Object> r) {
        r.put("peak_rss_mb", procStatusMb("VmHWM"));
        Runtime rt = Runtime.getRuntime();
        r.put("heap_used_mb", round((rt.totalMemory() - rt.freeMemory()) / 1048576.0, 1));
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) peak += p.getPeakUsage().getUsed();
        r.put("heap_peak_mb", round(peak / 1048576.0, 1));
    }

    /** A {@code kB} field of /proc/self/status in MB, or null where it is missing. */
    static Double procStatusMb(String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith(field + ":")).findFirst()
                    .map(l -> round(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0, 1)).orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static double round(double v, int decimals) {
        if (!Double.isFinite(v)) return v;
        double s = Math.pow(10, decimals);
        return Math.round(v * s) / s;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    // ------------------------------------------------------------------ output

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> mc = (Map<String, Object>) r.get("machine");
        Map<String, Object> md = (Map<String, Object>) r.get("model");
        boolean live = "streaming".equals(r.get("mode"));
        row(b, "model", md.get("name") + (Boolean.TRUE.equals(md.get("random_weights")) ? " (random weights)" : "")
                + ", " + md.get("weights") + " weights, " + String.format(Locale.ROOT, "%,d", (Long) md.get("parameters"))
                + " parameters, " + (Boolean.TRUE.equals(md.get("causal")) ? "causal" : "non-causal"));
        row(b, "machine", mc.get("cpu") + ", " + mc.get("cores") + " cores, " + mc.get("kernel_threads") + " kernel threads, "
                + mc.get("matmul") + ", Java " + Runtime.version());
        row(b, "load average", loads(mc.get("load_average_start")) + " at start, " + loads(r.get("load_average_end"))
                + " at end" + (busy(mc, r) ? "  (busy machine: timings are noisy)" : ""));
        row(b, "workload", (live ? "streaming, " + r.get("streams") + " session(s), pushes of " + r.get("push_samples")
                + " samples" + (Boolean.TRUE.equals(r.get("paced")) ? ", paced at real time" : "") : "offline sigToToks + toksToSig")
                + ", " + r.get("audio_seconds") + " s of " + r.get("input") + ", warm-up " + r.get("warmup_seconds") + " s");
        if (r.containsKey("batching"))
            row(b, "batching", r.get("batching") + ", " + r.get("merged_products") + " merged matrix products");
        b.append('\n');
        if (md.containsKey("random_weights_write_s")) row(b, "write random weights", md.get("random_weights_write_s") + " s");
        row(b, "load model", fmt(md.get("load_ms"), 0) + " ms");
        row(b, "first token", fmt(r.get("time_to_first_token_ms"), 1) + " ms (" + r.get("first_token_note") + ")");
        if (r.containsKey("time_to_first_audio_ms"))
            row(b, "first audio", fmt(r.get("time_to_first_audio_ms"), 1) + " ms (first chunk encoded and decoded)");
        row(b, "x real time", fmt(r.get("x_real_time"), 2) + "x" + (live && (Long) r.get("streams") > 1
                ? " aggregate over " + r.get("streams") + " streams (" + fmt(r.get("x_real_time_per_stream"), 2) + "x for the slowest stream)" : ""));
        double share = (Double) r.get("encode_share");
        row(b, "encode / decode", String.format(Locale.ROOT, "%.0f%% / %.0f%% of compute (encode %sx, decode %sx real time)",
                100 * share, 100 * (1 - share), fmt(r.get("encode_x_real_time"), 2), fmt(r.get("decode_x_real_time"), 2)));
        if (live) {
            Map<String, Object> lat = (Map<String, Object>) r.get("chunk_latency_ms");
            row(b, "chunk latency", "p50 " + fmt(lat.get("p50"), 1) + "  p95 " + fmt(lat.get("p95"), 1) + "  p99 " + fmt(lat.get("p99"), 1)
                    + "  max " + fmt(lat.get("max"), 1) + " ms over " + r.get("chunks") + " chunks (encode + decode"
                    + (Boolean.TRUE.equals(r.get("paced")) ? ", from chunk complete" : "") + ")");
            row(b, "keeps up", (Boolean.TRUE.equals(r.get("keeps_up")) ? "yes" : "NO") + ": worst stream p99 "
                    + fmt(r.get("worst_stream_p99_ms"), 1) + " ms vs " + fmt(r.get("chunk_period_ms"), 0) + " ms chunk period");
        }
        row(b, "compute", fmt(r.get("gflop_per_audio_second"), 2) + " GFLOP per audio second; achieved "
                + fmt(r.get("gflop_per_second"), 1) + " GFLOP/s"
                + (r.containsKey("encode_gflop_per_second") ? " (encode " + fmt(r.get("encode_gflop_per_second"), 1)
                + ", decode " + fmt(r.get("decode_gflop_per_second"), 1) + ")" : ""));
        row(b, "peak RSS", fmt(r.get("peak_rss_mb"), 0) + " MB (VmHWM; includes the memory-mapped weights touched)");
        row(b, "heap", "used " + fmt(r.get("heap_used_mb"), 0) + " MB at end, peak <= " + fmt(r.get("heap_peak_mb"), 0) + " MB");
        return b.toString();
    }

    /** Header of the rows {@link #markdownRow} prints. */
    static final String MARKDOWN_HEADER = """
            | config | mode | weights | streams | x real time | encode / decode | chunk latency p50 / p95 / p99 / max (ms) | keeps up | GFLOP per audio s | GFLOP/s | load (ms) | first token (ms) | peak RSS (MB) | load avg start / end |
            |---|---|---|---:|---:|---|---|---|---:|---:|---:|---:|---:|---|""";

    @SuppressWarnings("unchecked")
    static String markdownRow(Map<String, Object> r) {
        Map<String, Object> mc = (Map<String, Object>) r.get("machine");
        Map<String, Object> md = (Map<String, Object>) r.get("model");
        boolean live = "streaming".equals(r.get("mode"));
        double share = (Double) r.get("encode_share");
        String latency = "-", keeps = "-";
        if (live) {
            Map<String, Object> lat = (Map<String, Object>) r.get("chunk_latency_ms");
            latency = fmt(lat.get("p50"), 1) + " / " + fmt(lat.get("p95"), 1) + " / " + fmt(lat.get("p99"), 1) + " / " + fmt(lat.get("max"), 1);
            keeps = Boolean.TRUE.equals(r.get("keeps_up")) ? "yes" : "no";
        }
        String name = String.valueOf(md.get("name")).replace("official:", "");
        return "| " + String.join(" | ", name, String.valueOf(r.get("mode")) + (Boolean.TRUE.equals(r.get("paced")) ? " (paced)" : ""),
                String.valueOf(md.get("weights")), String.valueOf(r.get("streams")), fmt(r.get("x_real_time"), 2) + "x",
                String.format(Locale.ROOT, "%.0f%% / %.0f%%", 100 * share, 100 * (1 - share)), latency, keeps,
                fmt(r.get("gflop_per_audio_second"), 1), fmt(r.get("gflop_per_second"), 1), fmt(md.get("load_ms"), 0),
                fmt(r.get("time_to_first_token_ms"), 0), fmt(r.get("peak_rss_mb"), 0),
                loads(mc.get("load_average_start")) + " / " + loads(r.get("load_average_end"))) + " |";
    }

    private static boolean busy(Map<String, Object> mc, Map<String, Object> r) {
        double cores = ((Long) mc.get("cores")).doubleValue();
        for (Object o : List.of(mc.get("load_average_start"), r.get("load_average_end"))) {
            if (o instanceof List<?> l && !l.isEmpty() && ((Double) l.get(0)) > cores) return true;
        }
        return false;
    }

    private static String loads(Object o) {
        if (!(o instanceof List<?> l) || l.isEmpty()) return "n/a";
        return String.join(" ", l.stream().map(v -> String.format(Locale.ROOT, "%.2f", (Double) v)).toList());
    }

    private static String fmt(Object v, int decimals) {
        if (!(v instanceof Number n)) return "n/a";
        return String.format(Locale.ROOT, "%,." + decimals + "f", n.doubleValue());
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-21s %s%n", label, value));
    }
}
