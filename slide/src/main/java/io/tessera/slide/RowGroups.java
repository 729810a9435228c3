package io.tessera.slide;

import java.util.Arrays;

/**
 * Groups the (row, sample, coefficient) entries of a batch by row, in the order rows first appear (sample by sample),
 * so that each touched row's gradient {@code sum coefficient * input[sample]} is summed by one thread in a fixed
 * order: the deterministic alternative to HOGWILD's racy accumulation. Reused batch after batch; one thread builds it.
 */
final class RowGroups {
    private final int[] count;
    private int[] rows = new int[64];
    private int[] starts = new int[65];
    private int[] samples = new int[256];
    private float[] coefficients = new float[256];
    private int touched;

    RowGroups(int rowCount) {
        this.count = new int[rowCount];
    }

    /** Groups entries {@code [begin[s], end[s])} of {@code ids}/{@code coefs} for samples {@code s < n}. */
    void build(int n, int[] begin, int[] end, int[] ids, float[] coefs) {
        int entries = 0;
        touched = 0;
        for (int s = 0; s < n; s++) {
            for (int k = begin[s]; k < end[s]; k++) {
                int r = ids[k];
                if (count[r]++ == 0) {
                    if (touched == rows.length) {
                        rows = Arrays.copyOf(rows, touched * 2);
                    }
                    rows[touched++] = r;
                }
            }
            entries += end[s] - begin[s];
        }
        if (starts.length < touched + 1) {
            starts = new int[Math.max(touched + 1, starts.length * 2)];
        }
        if (samples.length < entries) {
            samples = new int[Math.max(entries, samples.length * 2)];
            coefficients = new float[samples.length];
        }
        int at = 0;
        for (int g = 0; g < touched; g++) {
            int r = rows[g];
            starts[g] = at;
            at += count[r];
            count[r] = starts[g];
        }
        starts[touched] = at;
        for (int s = 0; s < n; s++) {
            for (int k = begin[s]; k < end[s]; k++) {
                int slot = count[ids[k]]++;
                samples[slot] = s;
                coefficients[slot] = coefs[k];
            }
        }
        for (int g = 0; g < touched; g++) {
            count[rows[g]] = 0;
        }
    }

    int touched() {
        return touched;
    }

    int row(int group) {
        return rows[group];
    }

    int start(int group) {
        return starts[group];
    }

    int end(int group) {
        return starts[group + 1];
    }

    int sample(int entry) {
        return samples[entry];
    }

    float coefficient(int entry) {
        return coefficients[entry];
    }
}
