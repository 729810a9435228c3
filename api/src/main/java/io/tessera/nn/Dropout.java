package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Tensor;

import java.util.Map;

/**
 * Inverted dropout, as PyTorch's {@code nn.Dropout}: in training mode each element is zeroed with probability
 * {@code p} and the rest scaled by {@code 1 / (1 - p)}; in evaluation mode (and whenever {@code p == 0}) the layer is
 * the identity and returns its input. No parameters; any input shape.
 *
 * <p>Masks come from {@link io.tessera.spi.Kernels#dropoutMask}, a counter-based generator keyed by the seed: the
 * layer starts at offset 0 and, after each training-mode forward, advances its offset by the mask's size rounded up
 * to a multiple of 4. The same seed, step and shapes therefore give bit-identical masks on every backend. The offset
 * is the layer's counter {@code offset}, saved in checkpoints (format version 3), so a resumed run draws the masks an
 * uninterrupted one would.
 */
public final class Dropout implements Layer {
    /** The type name in checkpoints; attributes {@code p_f32} (the float32 bits of p), {@code seed_low, seed_high}. */
    public static final String TYPE = "Dropout";

    private final double p;
    private final long seed;
    private final ActivationBuffer mask = new ActivationBuffer();
    private final ActivationBuffer output = new ActivationBuffer();
    private final ActivationBuffer gradInput = new ActivationBuffer();
    private boolean training = true;
    private long offset;
    private Tensor lastMask;
    private boolean forwarded;

    /**
     * A dropout layer in training mode.
     *
     * @param p    the probability of zeroing an element, {@code 0 <= p < 1}; used in float32 by the kernels
     * @param seed the generator's key
     * @throws IllegalArgumentException if {@code p} is outside {@code [0, 1)}
     */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.seed = seed;
    }

    /**
     * The drop probability.
     *
     * @return {@code p}, as given
     */
    public double p() {
        return p;
    }

    /**
     * The generator's seed.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * The counter offset the next training-mode forward starts its mask at.
     *
     * @return the offset, {@code >= 0}
     */
    public long offset() {
        return offset;
    }

    /**
     * Whether the layer is in training mode (the default).
     *
     * @return true in training mode
     */
    public boolean isTraining() {
        return training;
    }

    @Override
    public void train(boolean training) {
        this.training = training;
    }

    @Override
    public Tensor forward(Tensor x) {
        forwarded = true;
        if (!training || p == 0) {
            lastMask = null;
            return x;
        }
        Device device = x.device();
        Tensor m = mask.get(device, x.shape());
        Tensor y = output.get(device, x.shape());
        device.kernels().dropoutMask(m, (float) p, seed, offset);
        device.kernels().mul(x, m, y);
        offset += (x.size() + 3) & ~3L;
        lastMask = m;
        return y;
    }

    /** {@inheritDoc} The gradient is {@code gradOutput * mask}, or {@code gradOutput} itself after an identity forward. */
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (!forwarded) {
            throw new IllegalStateException(this + ": backward called before forward");
        }
        if (lastMask == null) {
            return gradOutput;
        }
        Device device = gradOutput.device();
        Tensor dx = gradInput.get(device, lastMask.shape());
        device.kernels().mul(gradOutput, lastMask, dx);
        return dx;
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("offset", offset);
    }

    @Override
    public void setCounter(String name, long value) {
        if (!name.equals("offset")) {
            Layer.super.setCounter(name, value);
        }
        if (value < 0 || (value & 3) != 0) {
            throw new IllegalArgumentException("Dropout: offset must be a non-negative multiple of 4, got " + value);
        }
        offset = value;
    }

    @Override
    public Dropout to(Device device) {
        close();
        return this;
    }

    @Override
    public LayerSpec spec() {
        return new LayerSpec(TYPE, Map.of("p_f32", Float.floatToIntBits((float) p), "seed_low", (int) seed,
                "seed_high", (int) (seed >>> 32)));
    }

    /** Rebuilds a layer from {@link #spec()}. */
    static Dropout fromSpec(LayerSpec spec) {
        double p = Float.intBitsToFloat(spec.attribute("p_f32"));
        long seed = (spec.attribute("seed_low") & 0xffffffffL) | ((long) spec.attribute("seed_high") << 32);
        return new Dropout(p, seed);
    }

    @Override
    public void close() {
        mask.close();
        output.close();
        gradInput.close();
        lastMask = null;
        forwarded = false;
    }

    @Override
    public String toString() {
        return "Dropout(p " + (float) p + ", seed " + seed + ")";
    }
}
