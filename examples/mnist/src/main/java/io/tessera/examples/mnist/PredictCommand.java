package io.tessera.examples.mnist;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.examples.cli.Command;
import io.tessera.examples.cli.Options;
import io.tessera.examples.cli.UsageException;
import io.tessera.nn.Checkpoint;
import io.tessera.nn.Layer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tessera predict}: classifies an image with a saved model, framed as the model's dataset framed its images
 * ({@link Framing}), and prints the class with its probabilities; warns when the top one is below
 * {@code --min-confidence}.
 */
public final class PredictCommand implements Command {
    /** The default of {@code --min-confidence}: below it the top probability is a guess worth a warning. */
    static final double DEFAULT_MIN_CONFIDENCE = 0.5;

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
        return new Options(name(), "Loads a checkpoint written by 'tessera mnist --save FILE' (or mnist-cnn) and classifies an image\n"
                + "prepared as MNIST's own: greyscale; inverted if its background (the border) is light; faint noise\n"
                + "removed; cropped to the digit, scaled to 20 pixels and centred by its mass in 28x28 (a Fashion-MNIST\n"
                + "model's item: scaled to fill 28x28). A small digit anywhere in a photo of white paper works; a blank\n"
                + "image is an error. Prints the class, its probability and a warning when that is below --min-confidence.")
                .value("model", "FILE", null, "checkpoint to load (required)")
                .value("image", "FILE", null, "image to classify, e.g. digit.png (required)")
                .value("device", "ID", null, "device to run on, e.g. cpu or opencl-jocl:0 (default: the best available)")
                .value("min-confidence", "P", Double.toString(DEFAULT_MIN_CONFIDENCE),
                        "warn when the top probability is below P, 0 to 1 (0: never)")
                .flag("allow-non-finite", "load a model whose weights hold NaN, infinity or a negative variance (for debugging)");
    }

    @Override
    public int run(Options.Parsed flags, PrintStream out) throws Exception {
        Path modelFile = flags.path("model").orElseThrow(() -> new UsageException("flag --model is required"));
        Path imageFile = flags.path("image").orElseThrow(() -> new UsageException("flag --image is required"));
        double minConfidence = flags.numberAtLeast("min-confidence", 0);
        if (minConfidence > 1) {
            throw new UsageException("flag --min-confidence must be a probability from 0 to 1, got " + minConfidence);
        }
        Device device = flags.get("device").map(id -> Devices.registry().defaultDevice(id)).orElseGet(Devices::defaultDevice);
        Checkpoint.ValueCheck check = flags.bool("allow-non-finite") ? Checkpoint.ValueCheck.NONE : Checkpoint.ValueCheck.FINITE;
        Checkpoint.Loaded loaded = Checkpoint.load(modelFile, device, Checkpoint.factories(), check);
        try (var model = loaded.model()) {
            Map<String, String> meta = loaded.metadata();
            Shape input = parseShape(meta.getOrDefault("input", "1x28x28"), modelFile);
            Framing framing = Framing.forDataset(meta.get("dataset"));
            float[] pixels = ImageInput.read(imageFile, input.dim(-2), input.dim(-1), framing);
            normalize(pixels, meta.get("normalize"), modelFile);
            double[] p = probabilities(model, device, input, pixels);
            List<String> names = meta.containsKey("classes") ? Arrays.asList(meta.get("classes").split(",")) : null;
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            out.println("Prediction: " + label(names, best) + String.format(Locale.ROOT, " (confidence %.3f)", p[best]));
            if (p[best] < minConfidence) {
                out.printf(Locale.ROOT, "Warning: low confidence %.3f (below --min-confidence %s), the class above is a guess: check that%n"
                        + "  %s holds one %s in clear strokes on a plain background with no other marks, and that the model%n"
                        + "  was trained for such images%n", p[best], format(minConfidence), imageFile,
                        framing == Framing.FASHION_MNIST ? "item" : "digit");
            }
            for (int i = 0; i < p.length; i++) {
                out.printf(Locale.ROOT, "  %-14s %.3f%n", label(names, i), p[i]);
            }
        }
        return 0;
    }

    /** The model's class probabilities (softmax of its output) for one image of {@code input}'s shape. */
    static double[] probabilities(Layer model, Device device, Shape input, float[] pixels) {
        int[] dims = new int[input.rank() + 1];
        dims[0] = 1;
        System.arraycopy(input.dims(), 0, dims, 1, input.rank());
        model.train(false);
        try (Tensor x = device.of(pixels, Shape.of(dims))) {
            return softmax(model.forward(x).toFloatArray());
        }
    }

    private static String format(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /**
     * The class index, and its name where that says more than the index ("9 Ankle boot", but "7", not "7 7"); the
     * name comes from the model file, so it is escaped.
     */
    static String label(List<String> names, int i) {
        String name = names != null && i < names.size() ? names.get(i).strip() : "";
        return name.isEmpty() || name.equals(Integer.toString(i)) ? Integer.toString(i) : i + " " + io.tessera.Printable.of(name, 60);
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
