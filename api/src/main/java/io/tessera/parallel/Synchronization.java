package io.tessera.parallel;

import java.io.Serializable;

/**
 * How data-parallel replicas stay in step.
 *
 * <ul>
 *   <li>{@link #allReduce()}: every step, each replica's gradient over its shard is summed across replicas (weighted by
 *   shard size), so every replica applies the update of the whole global batch: the same parameters as one device
 *   training on the global batch, up to float rounding.</li>
 *   <li>{@link #average(int) average(K)}: each replica steps its own optimizer on its shard (a local batch of
 *   global / replicas), and every {@code K} steps, and at the end of each epoch, parameters, buffers and optimizer
 *   state are averaged across replicas (Deeplearning4j's parameter averaging). It moves 1/K of the bytes.</li>
 * </ul>
 *
 * @param mode         which of the two
 * @param averageEvery for {@link Mode#AVERAGE}, the steps between averages (at least 1); 1 for {@link Mode#ALL_REDUCE}
 */
public record Synchronization(Mode mode, int averageEvery) implements Serializable {

    /** The two ways replicas synchronise. */
    public enum Mode {
        /** Gradient all-reduce every step. */
        ALL_REDUCE,
        /** Parameter averaging every {@code averageEvery} steps. */
        AVERAGE
    }

    /**
     * Validates the combination.
     *
     * @param mode the mode, not null
     * @param averageEvery the steps between averages
     * @throws IllegalArgumentException if {@code mode} is null, {@code averageEvery < 1}, or not 1 for
     *                                  {@link Mode#ALL_REDUCE}
     */
    public Synchronization {
        if (mode == null) {
            throw new IllegalArgumentException("the synchronisation mode must not be null");
        }
        if (averageEvery < 1) {
            throw new IllegalArgumentException("parameters are averaged every K >= 1 steps, not every " + averageEvery);
        }
        if (mode == Mode.ALL_REDUCE && averageEvery != 1) {
            throw new IllegalArgumentException("all-reduce synchronises every step; averageEvery " + averageEvery
                    + " is for parameter averaging");
        }
    }

    /**
     * Gradient all-reduce every step.
     *
     * @return {@code (ALL_REDUCE, 1)}
     */
    public static Synchronization allReduce() {
        return new Synchronization(Mode.ALL_REDUCE, 1);
    }

    /**
     * Parameter averaging every {@code steps} steps.
     *
     * @param steps the steps between averages, {@code >= 1}
     * @return {@code (AVERAGE, steps)}
     */
    public static Synchronization average(int steps) {
        return new Synchronization(Mode.AVERAGE, steps);
    }

    @Override
    public String toString() {
        return mode == Mode.ALL_REDUCE ? "gradient all-reduce every step" : "parameter averaging every " + averageEvery + " steps";
    }
}
