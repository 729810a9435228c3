package io.tessera.slide.data;

import java.util.Arrays;

/**
 * A batch of sparse samples on the host, in CSR form: sample {@code s} has features {@code featureIndices()[k]} with
 * values {@code featureValues()[k]} for {@code k} in {@code [featurePointers()[s], featurePointers()[s + 1])}, and labels
 * {@code labels()[k]} for {@code k} in {@code [labelPointers()[s], labelPointers()[s + 1])}.
 *
 * <p>A reusable buffer, like a layer's activations: {@link ExtremeDataset#gather} refills it and grows its arrays when
 * needed, so the arrays returned here are views valid until the next gather. One thread fills it; any number may
 * read it between fills. {@link CsrTensors#upload} copies it to a device.
 */
public final class SparseBatch {
    private int size;
    private int[] featurePointers = new int[1];
    private int[] featureIndices = new int[0];
    private float[] featureValues = new float[0];
    private int[] labelPointers = new int[1];
    private int[] labels = new int[0];

    /** Samples in the batch. */
    public int size() {
        return size;
    }

    public int[] featurePointers() {
        return featurePointers;
    }

    public int[] featureIndices() {
        return featureIndices;
    }

    public float[] featureValues() {
        return featureValues;
    }

    public int[] labelPointers() {
        return labelPointers;
    }

    public int[] labels() {
        return labels;
    }

    /** Non-zero features over the batch. */
    public int nonZeros() {
        return featurePointers[size];
    }

    void fill(SparseMatrix features, SparseMatrix labelSets, int[] rows, int from, int to) {
        int n = to - from;
        long nonZeros = 0;
        long labelCount = 0;
        for (int i = from; i < to; i++) {
            nonZeros += features.rowLength(rows[i]);
            labelCount += labelSets.rowLength(rows[i]);
        }
        if (nonZeros > Integer.MAX_VALUE - 8 || labelCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch of " + n + " samples holds " + nonZeros + " features and "
                    + labelCount + " labels, more than one array can hold");
        }
        if (featurePointers.length < n + 1) {
            featurePointers = new int[n + 1];
            labelPointers = new int[n + 1];
        }
        if (featureIndices.length < nonZeros) {
            featureIndices = new int[(int) nonZeros];
            featureValues = new float[(int) nonZeros];
        }
        if (labels.length < labelCount) {
            labels = new int[(int) labelCount];
        }
        int f = 0;
        int l = 0;
        for (int s = 0; s < n; s++) {
            int row = rows[from + s];
            featurePointers[s] = f;
            labelPointers[s] = l;
            f += features.copyRow(row, featureIndices, featureValues, f);
            l += labelSets.copyRow(row, labels, null, l);
        }
        featurePointers[n] = f;
        labelPointers[n] = l;
        size = n;
    }

    @Override
    public String toString() {
        return "SparseBatch[" + size + " samples, " + nonZeros() + " features, labels " + Arrays.toString(
                Arrays.copyOf(labels, Math.min(labelPointers[size], 8))) + (labelPointers[size] > 8 ? "..." : "") + "]";
    }
}
