package io.tessera.examples.mnist;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.examples.cli.Command;
import io.tessera.examples.cli.Options;
import io.tessera.examples.cli.UsageException;
import io.tessera.nn.Checkpoint;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code tessera predict}: classifies an image with a saved model and prints the class with its probabilities. */
public final class PredictCommand implements Command {

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "classify an image (PNG) with a model saved by --save";
    }

    @Override
    public Options options() {
        return new Options(name(), "Loads a checkpoint written by 'tessera mnist --save FILE' (or mnist-cnn) and\n"
                + "classifies an image: 28x28 greyscale, or any image scaled to it; dark-on-light drawings are inverted.")
                .value("model", "FILE", null, "checkpoint to load (required)")
                .value("image", "FILE", null, "image to classify, e.g. digit.png (required)")
                .value("device", "ID", null, "device to run on, e.g. cpu or opencl-jocl:0 (default: the best available)")
                .flag("allow-non-finite", "load a model whose weights hold NaN, infinity or a negative variance (for debugging)");
    }

    @Override
    public int run(Options.Parsed flags, PrintStream out) throws Exception {
        Path modelFile = flags.path("model").orElseThrow(() -> new UsageException("flag --model is required"));
        Path imageFile = flags.path("image").orElseThrow(() -> new UsageException("flag --image is required"));
        Device device = flags.get("device").map(id -> Devices.registry().defaultDevice(id)).orElseGet(Devices::defaultDevice);
        Checkpoint.ValueCheck check = flags.bool("allow-non-finite") ? Checkpoint.ValueCheck.NONE : Checkpoint.ValueCheck.FINITE;
        Checkpoint.Loaded loaded = Checkpoint.load(modelFile, device, Checkpoint.factories(), check);
        try (var model = loaded.model()) {
            Map<String, String> meta = loaded.metadata();
            Shape input = parseShape(meta.getOrDefault("input", "1x28x28"), modelFile);
            float[] pixels = ImageInput.read(imageFile, input.dim(-2), input.dim(-1));
            normalize(pixels, meta.get("normalize"), modelFile);
            int[] dims = new int[input.rank() + 1];
            dims[0] = 1;
            System.arraycopy(input.dims(), 0, dims, 1, input.rank());
            model.train(false);
            float[] logits;
            try (Tensor x = device.of(pixels, Shape.of(dims))) {
                logits = model.forward(x).toFloatArray();
            }
            double[] p = softmax(logits);
            List<String> names = meta.containsKey("classes") ? Arrays.asList(meta.get("classes").split(",")) : null;
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            out.println("Prediction: " + label(names, best) + String.format(Locale.ROOT, " (%.1f %%)", 100 * p[best]));
            for (int i = 0; i < p.length; i++) {
                out.printf(Locale.ROOT, "  %-12s %6.2f %%%n", label(names, i), 100 * p[i]);
            }
        }
        return 0;
    }

    private static String label(List<String> names, int i) {
        return names != null && i < names.size() ? i + " " + names.get(i) : Integer.toString(i);
    }

    /** Applies the {@code normalize} entry ({@code "mean,std"}) a model was trained with; none leaves [0, 1]. */
    static void normalize(float[] pixels, String meanStd, Path modelFile) {
        if (meanStd == null) {
            return;
        }
        String[] parts = meanStd.split(",");
        float mean;
        float std;
        try {
            mean = Float.parseFloat(parts[0].strip());
            std = parts.length == 2 ? Float.parseFloat(parts[1].strip()) : Float.NaN;
        } catch (NumberFormatException e) {
            std = Float.NaN;
            mean = Float.NaN;
        }
        if (!(std > 0) || !Float.isFinite(mean)) {
            throw new IllegalArgumentException("model " + modelFile + ": metadata normalize='" + meanStd + "' is not 'mean,std' with std > 0");
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (pixels[i] - mean) / std;
        }
    }

    static Shape parseShape(String s, Path modelFile) {
        try {
            Shape shape = Shape.of(Arrays.stream(s.split("x")).mapToInt(d -> Integer.parseInt(d.strip())).toArray());
            if (shape.rank() < 2 || shape.size() > ImageInput.MAX_PIXELS) {
                throw new IllegalArgumentException("rank " + shape.rank() + ", " + shape.size() + " values");
            }
            return shape;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + modelFile + ": metadata input='" + io.tessera.nn.CheckpointFile.printable(s)
                    + "' is not an image shape such as 1x28x28 (" + e.getMessage() + ")", e);
        }
    }

    static double[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
