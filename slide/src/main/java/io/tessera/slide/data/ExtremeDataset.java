package io.tessera.slide.data;

import java.util.Objects;

/**
 * An immutable extreme-classification dataset: sparse feature rows ({@code features} columns) and, per sample, a set
 * of labels in {@code [0, classes)}. Every sample has at least one label.
 */
public final class ExtremeDataset {
    private final SparseMatrix features;
    private final SparseMatrix labels;

    /**
     * @param features one row per sample
     * @param labels a pattern matrix (no values), one row per sample, its columns the classes
     * @throws IllegalArgumentException when the row counts differ or a sample has no label
     */
    public ExtremeDataset(SparseMatrix features, SparseMatrix labels) {
        this.features = Objects.requireNonNull(features, "features");
        this.labels = Objects.requireNonNull(labels, "labels");
        if (features.rows() != labels.rows()) {
            throw new IllegalArgumentException(features.rows() + " feature rows but " + labels.rows() + " label rows");
        }
        if (!labels.isPattern()) {
            throw new IllegalArgumentException("labels must be a pattern matrix (no values)");
        }
        for (int r = 0; r < labels.rows(); r++) {
            if (labels.rowLength(r) == 0) {
                throw new IllegalArgumentException("sample " + r + " has no label");
            }
        }
    }

    public int size() {
        return features.rows();
    }

    public int featureCount() {
        return features.columns();
    }

    public int classCount() {
        return labels.columns();
    }

    public SparseMatrix features() {
        return features;
    }

    public SparseMatrix labels() {
        return labels;
    }

    /** Samples {@code [from, to)}. */
    public ExtremeDataset slice(int from, int to) {
        return new ExtremeDataset(features.rows(from, to), labels.rows(from, to));
    }

    /** Whether sample {@code sample} has label {@code label}. */
    public boolean hasLabel(int sample, int label) {
        for (int k = labels.rowStart(sample); k < labels.rowEnd(sample); k++) {
            if (labels.index(k) == label) {
                return true;
            }
        }
        return false;
    }

    /** Fills {@code batch} with the samples {@code order[from..to)}. */
    public void gather(int[] order, int from, int to, SparseBatch batch) {
        if (from < 0 || to > order.length || from >= to) {
            throw new IndexOutOfBoundsException("batch [" + from + ", " + to + ") of an order of " + order.length);
        }
        for (int i = from; i < to; i++) {
            if (order[i] < 0 || order[i] >= size()) {
                throw new IndexOutOfBoundsException("sample " + order[i] + " of a dataset of " + size());
            }
        }
        batch.fill(features, labels, order, from, to);
    }

    /** Mean non-zero features per sample. */
    public double meanNonZeros() {
        return size() == 0 ? 0 : (double) features.nonZeros() / size();
    }

    @Override
    public String toString() {
        return "ExtremeDataset[" + size() + " samples, " + featureCount() + " features, " + classCount() + " classes, "
                + String.format("%.1f", meanNonZeros()) + " non-zeros per sample]";
    }
}
