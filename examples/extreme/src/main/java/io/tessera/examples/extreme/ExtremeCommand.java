package io.tessera.examples.extreme;

import io.tessera.Device;
import io.tessera.DeviceKind;
import io.tessera.Devices;
import io.tessera.examples.cli.Command;
import io.tessera.examples.cli.Options;
import io.tessera.examples.cli.UsageException;
import io.tessera.examples.report.AtomicFile;
import io.tessera.examples.report.Json;
import io.tessera.slide.DenseOutput;
import io.tessera.slide.ExtremeNetwork;
import io.tessera.slide.OutputLayer;
import io.tessera.slide.SlideConfig;
import io.tessera.slide.SlideLinear;
import io.tessera.slide.SparseLinear;
import io.tessera.slide.Workers;
import io.tessera.slide.data.ExtremeDataset;
import io.tessera.slide.data.SyntheticExtreme;
import io.tessera.slide.data.XcFormat;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code tessera extreme}: SLIDE's sampled output layer against the dense one on an extreme classifier. */
public final class ExtremeCommand implements Command {
    /** SLIDE's defaults; the class count only sets the bucket bits, which the flags resolve per data set. */
    private static final SlideConfig DEFAULTS = SlideConfig.defaults(100_000);

    @Override
    public String name() {
        return "extreme";
    }

    @Override
    public String summary() {
        return "extreme classification: SLIDE's hash-sampled output layer vs the dense one (CPU)";
    }

    @Override
    public Options options() {
        return new Options(name(), "Trains SLIDE's network (sparse features -> hidden ReLU -> one output per class, softmax\n"
                + "cross-entropy, Adam) with the hash-sampled output layer (--layer slide) or the dense one\n"
                + "(--layer dense), and reports precision@1 on a held-out set after every epoch, computed exactly\n"
                + "(every class scored). Data: the extreme-classification repository's text format (--data, with\n"
                + "--test-data or a held-out tail of --test-samples), else a synthetic set drawn from --seed.\n"
                + "The sparse layers run on the CPU; --layer dense can also use another --device.")
                .value("layer", "slide|dense", "slide", "the output layer")
                .value("classes", "N", "100000", "classes of the synthetic set")
                .value("features", "N", "100000", "features of the synthetic set")
                .value("nonzeros", "N", "50", "non-zero features per synthetic sample")
                .value("train-samples", "N", "100000", "synthetic training samples")
                .value("test-samples", "N", "5000", "synthetic test samples (or the tail of --data held out without --test-data)")
                .path("data", "FILE", null, "training file in the repository format (e.g. Amazon-670K's train.txt; gzip allowed)")
                .path("test-data", "FILE", null, "test file in the repository format")
                .path("write-data", "DIR", null, "write the synthetic sets as DIR/train.txt and DIR/test.txt, then exit")
                .value("epochs", "N", "5", "epochs")
                .value("batch-size", "N", "128", "training batch size")
                .value("hidden", "N", "128", "hidden units")
                .value("lr", "RATE", "0.005", "Adam's learning rate")
                .value("threads", "N", Integer.toString(Runtime.getRuntime().availableProcessors()),
                        "threads (SLIDE's workers; the cpu backend's threads for --layer dense)")
                .value("device", "ID", "cpu", "device of the dense layer and of exact scoring (the SLIDE layers run on the host)")
                .value("hash", "dwta|simhash", "dwta", "SLIDE: hash family")
                .value("k", "N", Integer.toString(DEFAULTS.bits()), "SLIDE: K, bins (DWTA) or bits (SimHash) per table")
                .value("l", "N", Integer.toString(DEFAULTS.tables()), "SLIDE: L, hash tables")
                .value("bucket-bits", "N", null, "SLIDE: DWTA bucket index bits (default: log2(classes / 4), at most 16)")
                .value("bucket-size", "N", Integer.toString(DEFAULTS.bucketSize()), "SLIDE: neurons kept per bucket (reservoir sampling)")
                .value("max-active", "N", Integer.toString(DEFAULTS.maxActive()), "SLIDE: most retrieved neurons per sample besides its labels")
                .value("min-active", "N", Integer.toString(DEFAULTS.minActive()), "SLIDE: fewest neurons per sample (padded with random ones)")
                .value("rehash-start", "N", Integer.toString(DEFAULTS.rehashStart()), "SLIDE: batches before the first rehash")
                .value("rehash-growth", "X", Double.toString(DEFAULTS.rehashGrowth()), "SLIDE: growth of the interval between rehashes")
                .value("updates", "deterministic|hogwild", "deterministic", "SLIDE: how gradients of a batch are summed")
                .flag("sampled-eval", "SLIDE: also report precision@1 over the retrieved neurons only (test_p_at_1_sampled)")
                .value("seed", "N", "42", "seed of the synthetic data, the weights, the shuffles and the hashes")
                .output("json", "FILE", "write the settings and, per epoch, train_s, test_p_at_1, mean_active, the peak heap and the heap live after a collection as JSON");
    }

    @Override
    public int run(Options.Parsed flags, PrintStream out) throws Exception {
        Settings s = Settings.parse(flags);
        if (s.writeData != null) {
            Data data = load(s, out);
            Files.createDirectories(s.writeData);
            XcFormat.write(data.train, s.writeData.resolve("train.txt"));
            XcFormat.write(data.test, s.writeData.resolve("test.txt"));
            out.println("wrote " + s.writeData.resolve("train.txt") + " (" + data.train.size() + " samples) and "
                    + s.writeData.resolve("test.txt") + " (" + data.test.size() + " samples)");
            return 0;
        }
        Map<String, Object> report = train(s, out);
        if (s.json != null) {
            String json = Json.write(report);
            AtomicFile.write(s.json, tmp -> Files.writeString(tmp, json));
        }
        return 0;
    }

    /** Trains as {@code s} says and returns the report written by {@code --json}. */
    Map<String, Object> train(Settings s, PrintStream out) throws IOException {
        Device device = device(s);
        Data data = load(s, out);
        out.println("data: " + data.describe);
        out.println("train " + data.train + "; test " + data.test.size() + " samples");
        resetPeaks();
        long started = System.nanoTime();
        try (Workers workers = new Workers(s.threads)) {
            SparseLinear hidden = new SparseLinear(data.train.featureCount(), s.hidden, s.lr, s.seed);
            OutputLayer output = s.slide
                    ? new SlideLinear(s.hidden, data.train.classCount(), s.config(data.train.classCount()), s.lr, s.seed + 1, device)
                    : new DenseOutput(s.hidden, data.train.classCount(), s.lr, s.seed + 1, s.batchSize, device);
            try (ExtremeNetwork net = new ExtremeNetwork(hidden, output, workers, s.batchSize, s.seed)) {
                out.println("model: sparse " + data.train.featureCount() + " -> " + s.hidden + " ReLU -> " + output + ", "
                        + s.threads + " thread" + (s.threads == 1 ? "" : "s") + ", exact scoring on " + device.id());
                if (output instanceof SlideLinear slide) {
                    long t0 = System.nanoTime();
                    slide.build(workers);
                    out.printf(Locale.ROOT, "hash tables built in %.2f s%n", (System.nanoTime() - t0) / 1e9);
                }
                List<Map<String, Object>> history = new ArrayList<>();
                double trainTotal = 0;
                for (int epoch = 0; epoch < s.epochs; epoch++) {
                    long t0 = System.nanoTime();
                    ExtremeNetwork.EpochStats stats = net.trainEpoch(data.train, epoch);
                    double trainSeconds = (System.nanoTime() - t0) / 1e9;
                    trainTotal += trainSeconds;
                    long e0 = System.nanoTime();
                    double p1 = net.precisionAt1(data.test);
                    Double sampled = s.sampledEval && s.slide ? net.precisionAt1(data.test, true) : null;
                    double evalSeconds = (System.nanoTime() - e0) / 1e9;
                    long peak = peakHeap();
                    long live = liveHeap();
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("epoch", epoch + 1);
                    e.put("train_s", trainSeconds);
                    e.put("train_s_total", trainTotal);
                    e.put("train_loss", stats.meanLoss());
                    e.put("test_p_at_1", p1);
                    if (sampled != null) {
                        e.put("test_p_at_1_sampled", sampled);
                    }
                    e.put("mean_active", stats.meanActive());
                    e.put("eval_s", evalSeconds);
                    e.put("peak_heap_bytes", peak);
                    e.put("live_heap_bytes", live);
                    if (output instanceof SlideLinear slide) {
                        e.put("rehashes", slide.rehashes());
                    }
                    history.add(e);
                    out.printf(Locale.ROOT, "Epoch [%d], train_loss: %.4f, train_s: %.1f, test_p@1: %.4f%s, active: %.0f, heap: %d MiB live, %d MiB peak%n",
                            epoch + 1, stats.meanLoss(), trainSeconds, p1,
                            sampled == null ? "" : String.format(Locale.ROOT, " (sampled %.4f)", sampled), stats.meanActive(),
                            live >> 20, peak >> 20);
                }
                Map<String, Object> root = new LinkedHashMap<>();
                root.put("framework", "tessera");
                root.put("command", "extreme");
                root.put("layer", s.slide ? "slide" : "dense");
                root.put("device", device.id());
                root.put("threads", s.threads);
                root.put("data", data.describe);
                root.put("train_samples", data.train.size());
                root.put("test_samples", data.test.size());
                root.put("features", data.train.featureCount());
                root.put("classes", data.train.classCount());
                root.put("hidden", s.hidden);
                root.put("batch_size", s.batchSize);
                root.put("lr", s.lr);
                root.put("seed", s.seed);
                if (s.slide) {
                    root.put("slide", output.toString());
                }
                root.put("evaluation", "exact: every class scored for test_p_at_1");
                root.put("history", history);
                root.put("train_s_total", trainTotal);
                root.put("seconds", (System.nanoTime() - started) / 1e9);
                return root;
            }
        }
    }

    private static Device device(Settings s) {
        if (s.slide || "cpu".equals(s.device)) {
            System.setProperty("tessera.cpu.threads", Integer.toString(s.threads));
        }
        Device device = Devices.registry().defaultDevice(s.device);
        if (s.slide && !isCpuBackend(device)) {
            throw new UsageException("the SLIDE layers' sparse kernels run on the CPU only (they are host code on the cpu "
                    + "backend, not OpenCL kernels), so --layer "
                    + "slide cannot use " + device.id() + "; use --device cpu, or --layer dense on " + device.id());
        }
        return device;
    }

    /** The {@code cpu} backend's device; an OpenCL driver on the CPU (PoCL) is a CPU device of another backend. */
    private static boolean isCpuBackend(Device device) {
        return device.kind() == DeviceKind.CPU && (device.id().equals("cpu") || device.id().startsWith("cpu:"));
    }

    private record Data(ExtremeDataset train, ExtremeDataset test, String describe) {
    }

    private static Data load(Settings s, PrintStream out) throws IOException {
        if (s.data == null) {
            SyntheticExtreme gen = SyntheticExtreme.of(s.classes, s.features, s.nonZeros, s.seed);
            return new Data(gen.generate(0, s.trainSamples), gen.generate(s.trainSamples, s.testSamples),
                    "synthetic(classes=" + s.classes + ", features=" + s.features + ", nonzeros=" + s.nonZeros + ", seed="
                            + s.seed + ")");
        }
        XcFormat.Result train = XcFormat.read(s.data);
        if (train.unlabelled() > 0) {
            out.println(s.data + ": dropped " + train.unlabelled() + " samples without labels");
        }
        if (s.testData != null) {
            XcFormat.Result test = XcFormat.read(s.testData);
            if (test.unlabelled() > 0) {
                out.println(s.testData + ": dropped " + test.unlabelled() + " samples without labels");
            }
            ExtremeDataset a = train.dataset();
            ExtremeDataset b = test.dataset();
            if (a.featureCount() != b.featureCount() || a.classCount() != b.classCount()) {
                throw new UsageException(s.testData + " declares " + b.featureCount() + " features and " + b.classCount()
                        + " labels but " + s.data + " declares " + a.featureCount() + " and " + a.classCount());
            }
            return new Data(a, b, s.data + " + " + s.testData);
        }
        ExtremeDataset all = train.dataset();
        if (s.testSamples >= all.size()) {
            throw new UsageException("--test-samples " + s.testSamples + " leaves no training sample of the " + all.size()
                    + " in " + s.data);
        }
        int cut = all.size() - s.testSamples;
        return new Data(all.slice(0, cut), all.slice(cut, all.size()), s.data + " (last " + s.testSamples + " held out)");
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peak usage since {@link #resetPeaks}. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Heap in use after a full collection: what the run keeps, without the garbage a lazy collector leaves. */
    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The flags, checked before anything is built or read. */
    record Settings(boolean slide, int classes, int features, int nonZeros, int trainSamples, int testSamples, Path data,
                    Path testData, Path writeData, int epochs, int batchSize, int hidden, double lr, int threads, String device,
                    SlideConfig config, boolean autoBucketBits, boolean sampledEval, long seed, Path json) {

        /** The SLIDE parameters for a layer of {@code classes}: the default bucket bits follow the class count. */
        SlideConfig config(int classes) {
            return autoBucketBits ? config.withBuckets(SlideConfig.defaults(classes).bucketBits(), config.bucketSize()) : config;
        }

        static Settings parse(Options.Parsed f) {
            boolean slide = "slide".equals(f.choice("layer", List.of("slide", "dense")));
            int classes = f.integer("classes", 2);
            int features = f.integer("features", 1);
            int nonZeros = f.integer("nonzeros", 1);
            if (nonZeros > features) {
                throw new UsageException("--nonzeros " + nonZeros + " is more than --features " + features);
            }
            int train = f.integer("train-samples", 1);
            int test = f.integer("test-samples", 1);
            if ((long) train + test > Integer.MAX_VALUE || (long) Math.max(train, test) * nonZeros > Integer.MAX_VALUE - 8) {
                throw new UsageException("--train-samples " + train + " and --test-samples " + test + " of " + nonZeros
                        + " non-zeros do not fit in memory arrays");
            }
            int hidden = f.integer("hidden", 1);
            int batch = f.integer("batch-size", 1);
            int threads = f.integer("threads", 1, 1024);
            Path data = f.path("data").orElse(null);
            Path testData = f.path("test-data").orElse(null);
            if (testData != null && data == null) {
                throw new UsageException("--test-data needs --data");
            }
            for (Path p : new Path[] {data, testData}) {
                if (p != null && !Files.isRegularFile(p)) {
                    throw new UsageException(p + (Files.exists(p) ? " is not a regular file" : " does not exist"));
                }
            }
            Path json = f.path("json").orElse(null);
            Path writeData = f.path("write-data").orElse(null);
            if (writeData != null && data != null) {
                throw new UsageException("--write-data writes the synthetic sets; it cannot be used with --data");
            }
            int classesForBits = data == null ? classes : 1 << 16;
            SlideConfig defaults = SlideConfig.defaults(classesForBits);
            SlideConfig.Hash hash = "simhash".equals(f.choice("hash", List.of("dwta", "simhash")))
                    ? SlideConfig.Hash.SIMHASH : SlideConfig.Hash.DWTA;
            int k = f.integer("k", 1);
            int l = f.integer("l", 1);
            int bucketBits = f.isSet("bucket-bits") ? f.integer("bucket-bits", 1) : defaults.bucketBits();
            if (bucketBits > 24 || (hash == SlideConfig.Hash.SIMHASH && k > 24)) {
                throw new UsageException("bucket indices have at most 24 bits (--bucket-bits, or --k for simhash)");
            }
            int bucketSize = f.integer("bucket-size", 1);
            if ((long) l * (1L << (hash == SlideConfig.Hash.SIMHASH ? k : bucketBits)) * bucketSize > 1L << 30) {
                throw new UsageException("--l " + l + " tables of 2^" + (hash == SlideConfig.Hash.SIMHASH ? k : bucketBits)
                        + " buckets of " + bucketSize + " neurons is more than 2^30 slots; lower one of them");
            }
            SlideConfig.Updates updates = "hogwild".equals(f.choice("updates", List.of("deterministic", "hogwild")))
                    ? SlideConfig.Updates.HOGWILD : SlideConfig.Updates.DETERMINISTIC;
            SlideConfig config = new SlideConfig(hash, k, l, 8, bucketBits, bucketSize, f.integer("max-active", 1),
                    f.integer("min-active", 0), f.integer("rehash-start", 1), f.numberAtLeast("rehash-growth", 1), updates);
            return new Settings(slide, classes, features, nonZeros, train, test, data, testData, writeData,
                    f.integer("epochs", 1, 100_000), batch, hidden, f.number("lr", 0), threads, f.string("device"), config,
                    !f.isSet("bucket-bits"), f.bool("sampled-eval"), f.longValue("seed"), json);
        }
    }
}
