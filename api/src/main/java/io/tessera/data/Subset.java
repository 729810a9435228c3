package io.tessera.data;

import io.tessera.Shape;

import java.nio.FloatBuffer;

/**
 * A view of some samples of another dataset: sample {@code i} of the subset is sample {@code indices[i]} of the parent.
 * Holds no sample data of its own. Immutable and thread-safe.
 */
public final class Subset implements Dataset {
    private static final int CHUNK = 256;

    private final Dataset parent;
    private final int[] indices;

    /**
     * @param indices indices into {@code parent}, copied; repeats are allowed
     * @param parent the dataset; shared, not copied
     * @throws IndexOutOfBoundsException if an index is outside the parent, naming it
     */
    public Subset(Dataset parent, int[] indices) {
        int size = parent.size();
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size) {
                throw new IndexOutOfBoundsException("subset index " + indices[i] + " (at position " + i + ") is outside 0.." + (size - 1)
                        + " of " + parent);
            }
        }
        this.parent = parent;
        this.indices = indices.clone();
    }

    /**
     * The dataset this is a subset of.
     *
     * @return the parent
     */
    public Dataset parent() {
        return parent;
    }

    /**
     * The index in {@link #parent()} of sample {@code index} of this subset.
     *
     * @param index the subset's sample
     * @return the parent's sample index
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public int parentIndex(int index) {
        Checks.index(index, indices.length);
        return indices[index];
    }

    /**
     * A copy of the indices into {@link #parent()}.
     *
     * @return a new array
     */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Shape featureShape() {
        return parent.featureShape();
    }

    @Override
    public int featureSize() {
        return parent.featureSize();
    }

    @Override
    public int numClasses() {
        return parent.numClasses();
    }

    @Override
    public int label(int index) {
        return parent.label(parentIndex(index));
    }

    @Override
    public void gather(int[] indices, int from, int count, FloatBuffer features, int[] labels, int labelOffset) {
        Checks.gatherArguments(this, indices, from, count, features, labels, labelOffset);
        int[] mapped = new int[Math.min(count, CHUNK)];
        for (int done = 0; done < count; done += mapped.length) {
            int n = Math.min(mapped.length, count - done);
            for (int k = 0; k < n; k++) {
                mapped[k] = this.indices[indices[from + done + k]];
            }
            parent.gather(mapped, 0, n, features, labels, labelOffset + done);
        }
    }

    @Override
    public String toString() {
        return "Subset[" + indices.length + " of " + parent + "]";
    }
}
