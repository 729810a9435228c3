package io.tessera.slide.data;

import java.util.Arrays;

/**
 * An immutable sparse matrix in compressed sparse row (CSR) form: row {@code r} holds the column indices
 * {@code index(k)} and values {@code value(k)} for {@code k} in {@code [rowStart(r), rowEnd(r))}, columns strictly
 * increasing within a row. Feature rows of a dataset (values) and label sets (values 1) both use it.
 */
public final class SparseMatrix {
    private final int columns;
    private final int[] rowPointers;
    private final int[] indices;
    private final float[] values;

    private SparseMatrix(int columns, int[] rowPointers, int[] indices, float[] values) {
        this.columns = columns;
        this.rowPointers = rowPointers;
        this.indices = indices;
        this.values = values;
    }

    /**
     * Copies and validates a CSR matrix.
     *
     * @param values the non-zero values, or null for a pattern matrix (every stored value 1, as label sets)
     * @throws IllegalArgumentException naming the row and entry that break the CSR rules
     */
    public static SparseMatrix of(int columns, int[] rowPointers, int[] indices, float[] values) {
        if (columns <= 0) {
            throw new IllegalArgumentException("a sparse matrix needs at least one column, got " + columns);
        }
        if (rowPointers.length == 0 || rowPointers[0] != 0) {
            throw new IllegalArgumentException("row pointers must start at 0");
        }
        int rows = rowPointers.length - 1;
        int nonZeros = rowPointers[rows];
        if (nonZeros != indices.length || (values != null && values.length != indices.length)) {
            throw new IllegalArgumentException("row pointers end at " + nonZeros + " but there are " + indices.length
                    + " indices" + (values == null ? "" : " and " + values.length + " values"));
        }
        for (int r = 0; r < rows; r++) {
            if (rowPointers[r + 1] < rowPointers[r]) {
                throw new IllegalArgumentException("row pointers decrease at row " + r);
            }
            for (int k = rowPointers[r]; k < rowPointers[r + 1]; k++) {
                int c = indices[k];
                if (c < 0 || c >= columns) {
                    throw new IllegalArgumentException("row " + r + ": column " + c + " is outside [0, " + columns + ")");
                }
                if (k > rowPointers[r] && c <= indices[k - 1]) {
                    throw new IllegalArgumentException("row " + r + ": columns are not strictly increasing (" + indices[k - 1]
                            + " then " + c + ")");
                }
                if (values != null && !Float.isFinite(values[k])) {
                    throw new IllegalArgumentException("row " + r + ", column " + c + ": value " + values[k] + " is not finite");
                }
            }
        }
        return new SparseMatrix(columns, rowPointers.clone(), indices.clone(), values == null ? null : values.clone());
    }

    /** Wraps arrays the caller built and validated and will not touch again. */
    static SparseMatrix trusted(int columns, int[] rowPointers, int[] indices, float[] values) {
        return new SparseMatrix(columns, rowPointers, indices, values);
    }

    public int rows() {
        return rowPointers.length - 1;
    }

    public int columns() {
        return columns;
    }

    public long nonZeros() {
        return rowPointers[rows()];
    }

    public int rowStart(int row) {
        return rowPointers[row];
    }

    public int rowEnd(int row) {
        return rowPointers[row + 1];
    }

    public int rowLength(int row) {
        return rowPointers[row + 1] - rowPointers[row];
    }

    public int index(int k) {
        return indices[k];
    }

    /** The stored value; 1 for a pattern matrix. */
    public float value(int k) {
        return values == null ? 1f : values[k];
    }

    /** Whether every stored value is 1 and none are kept (label sets). */
    public boolean isPattern() {
        return values == null;
    }

    /** The longest row. */
    public int maxRowLength() {
        int max = 0;
        for (int r = 0; r < rows(); r++) {
            max = Math.max(max, rowLength(r));
        }
        return max;
    }

    /** Rows {@code [from, to)} as a new matrix. */
    public SparseMatrix rows(int from, int to) {
        if (from < 0 || to > rows() || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of a matrix with " + rows() + " rows");
        }
        int base = rowPointers[from];
        int[] pointers = new int[to - from + 1];
        for (int r = from; r <= to; r++) {
            pointers[r - from] = rowPointers[r] - base;
        }
        int end = rowPointers[to];
        return new SparseMatrix(columns, pointers, Arrays.copyOfRange(indices, base, end),
                values == null ? null : Arrays.copyOfRange(values, base, end));
    }

    /** Copies row {@code row}'s entries to {@code batchIndices}/{@code batchValues} at {@code at}; returns the count. */
    int copyRow(int row, int[] batchIndices, float[] batchValues, int at) {
        int start = rowPointers[row];
        int length = rowPointers[row + 1] - start;
        System.arraycopy(indices, start, batchIndices, at, length);
        if (batchValues != null) {
            if (values == null) {
                Arrays.fill(batchValues, at, at + length, 1f);
            } else {
                System.arraycopy(values, start, batchValues, at, length);
            }
        }
        return length;
    }

    @Override
    public String toString() {
        return "SparseMatrix[" + rows() + " x " + columns + ", " + nonZeros() + " non-zeros]";
    }
}
