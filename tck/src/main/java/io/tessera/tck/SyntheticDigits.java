package io.tessera.tck;

import java.util.SplittableRandom;

/**
 * A deterministic, learnable stand-in for MNIST: ten fixed 28x28 prototypes in [0, 1], each sample a prototype
 * plus uniform noise, clipped. The same seed gives the same batches on every machine.
 */
final class SyntheticDigits {
    private static final int PIXELS = 784;
    private final float[][] prototypes = new float[10][PIXELS];
    private final SplittableRandom random;

    SyntheticDigits(long seed) {
        SplittableRandom protoRandom = new SplittableRandom(seed);
        for (float[] p : prototypes) {
            for (int i = 0; i < PIXELS; i++) {
                p[i] = protoRandom.nextDouble() < 0.2 ? (float) protoRandom.nextDouble(0.5, 1.0) : 0f;
            }
        }
        random = new SplittableRandom(seed + 1);
    }

    /** Fills {@code labels.length} samples: features row-major, 784 per sample. */
    void batch(float[] features, int[] labels) {
        for (int r = 0; r < labels.length; r++) {
            int label = random.nextInt(10);
            labels[r] = label;
            float[] p = prototypes[label];
            for (int i = 0; i < PIXELS; i++) {
                float v = p[i] + (float) random.nextDouble(-0.6, 0.6);
                features[r * PIXELS + i] = Math.min(1f, Math.max(0f, v));
            }
        }
    }
}
