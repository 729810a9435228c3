package io.tessera.data;

import io.tessera.Shape;

import java.nio.FloatBuffer;

/** {@link BatchTransform#randomShift}: a per-sample translation drawn from the seed, epoch, batch and row. */
final class RandomShift implements BatchTransform {
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private final int maxShift;
    private final long seed;

    RandomShift(int maxShift, long seed) {
        if (maxShift < 0) {
            throw new IllegalArgumentException("randomShift: the largest shift must not be negative, got " + maxShift);
        }
        this.maxShift = maxShift;
        this.seed = seed;
    }

    @Override
    public void apply(FloatBuffer features, int rows, Shape featureShape, int epoch, int batchIndex) {
        if (featureShape.rank() < 2) {
            throw new IllegalArgumentException("randomShift needs image samples [C, H, W] or [H, W], got " + featureShape);
        }
        if (maxShift == 0) {
            return;
        }
        int height = featureShape.dim(-2);
        int width = featureShape.dim(-1);
        int plane = height * width;
        int sample = featureShape.sizeAsInt();
        float[] in = SCRATCH.get();
        if (in.length < sample) {
            in = new float[sample];
            SCRATCH.set(in);
        }
        SplitMix64 random = SplitMix64.forStream(seed, ((long) epoch << 32) ^ batchIndex);
        for (int r = 0; r < rows; r++) {
            int dy = random.nextInt(2 * maxShift + 1) - maxShift;
            int dx = random.nextInt(2 * maxShift + 1) - maxShift;
            if (dx == 0 && dy == 0) {
                continue;
            }
            int base = r * sample;
            features.get(base, in, 0, sample);
            for (int p = 0; p < sample; p += plane) {
                for (int y = 0; y < height; y++) {
                    int sy = y - dy;
                    for (int x = 0; x < width; x++) {
                        int sx = x - dx;
                        float v = sy >= 0 && sy < height && sx >= 0 && sx < width ? in[p + sy * width + sx] : 0f;
                        features.put(base + p + y * width + x, v);
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "randomShift(" + maxShift + ")";
    }
}
