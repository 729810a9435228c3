package io.tessera.data;

import java.nio.FloatBuffer;

/** Argument checks shared by the {@link Dataset} implementations, so that they fail alike. */
final class Checks {
    private Checks() {
    }

    static void gatherArguments(Dataset dataset, int[] indices, int from, int count, FloatBuffer features, int[] labels,
                                int labelOffset) {
        if (from < 0 || count < 0 || from > indices.length - count) {
            throw new IndexOutOfBoundsException(count + " indices from " + from + " do not fit an index array of " + indices.length);
        }
        long floats = (long) count * dataset.featureSize();
        if (features.remaining() < floats) {
            throw new IllegalArgumentException("gathering " + count + " samples of " + dataset.featureShape() + " needs " + floats
                    + " floats, but the buffer has room for " + features.remaining());
        }
        if (labelOffset < 0 || labelOffset > labels.length - count) {
            throw new IllegalArgumentException(count + " labels at offset " + labelOffset + " do not fit a label array of " + labels.length);
        }
        int size = dataset.size();
        for (int k = from; k < from + count; k++) {
            int index = indices[k];
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("sample index " + index + " (at position " + k + ") is outside 0.." + (size - 1));
            }
        }
    }

    static void index(int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("sample index " + index + " is outside 0.." + (size - 1));
        }
    }
}
