package io.tessera.nn;

import java.util.random.RandomGenerator;

/**
 * PyTorch's default initialisation of Linear and Conv2d (and of {@link io.tessera.autograd.Module#linearParameters}),
 * drawn on the host so every backend starts alike. Stateless.
 */
public final class KaimingUniform {
    private KaimingUniform() {
    }

    /**
     * {@code weights} values, then (when {@code biases > 0}) {@code biases} values, all uniform in
     * {@code ±1/sqrt(fanIn)} (Kaiming-uniform with {@code a = sqrt(5)}), drawn from {@code random} in that order.
     * Returns {@code {weights, biases or null}}.
     *
     * @param weights the number of weights
     * @param biases the number of biases, 0 for none
     * @param fanIn the fan-in, {@code > 0}
     * @param random the generator, advanced by {@code weights + biases} draws
     * @return two arrays, the second null when {@code biases == 0}
     */
    public static float[][] draw(int weights, int biases, double fanIn, RandomGenerator random) {
        double bound = 1.0 / Math.sqrt(fanIn);
        float[] w = uniform(weights, bound, random);
        return new float[][] {w, biases > 0 ? uniform(biases, bound, random) : null};
    }

    private static float[] uniform(int n, double bound, RandomGenerator random) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }
}
