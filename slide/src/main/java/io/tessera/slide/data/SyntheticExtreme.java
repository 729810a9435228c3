package io.tessera.slide.data;

import io.tessera.slide.random.SplitMix;

import java.util.Arrays;

/**
 * A deterministic generator of extreme-classification data whose labels are a learnable function of the features.
 *
 * <p>Each class {@code c} owns a signature: {@code signatureSize} distinct features drawn from the seed and {@code c}.
 * Sample {@code i} draws its class from a long tail, as labels of extreme-classification data are: class
 * {@code floor(classes * u^2)} for {@code u} uniform, so class {@code c} has a frequency proportional to
 * {@code 1/sqrt(c)} (the first 1 % of the classes get 10 % of the samples). It then takes {@code signatureDraw} of that class's signature features and
 * fills up to {@code nonZeros} features with noise features drawn from a skewed distribution (low indices are common,
 * as frequent words are in bag-of-words data), all with value 1, the row then scaled to unit L2 norm. A feature belongs
 * to about {@code classes * signatureSize / features} signatures, so no single feature gives the class away, but the
 * set does: a model that learns which features vote for which class reaches a high precision. Every sample is a
 * function of the seed and its index alone, so {@code generate(from, count)} of disjoint ranges gives disjoint,
 * reproducible training and test sets, on any machine.
 *
 * @param classes the number of classes (labels), at least 2
 * @param features the number of features, at least {@code nonZeros}
 * @param nonZeros non-zero features per sample (some samples have fewer when noise repeats a feature)
 * @param signatureSize features in each class's signature
 * @param signatureDraw signature features in each sample, at most {@code signatureSize} and {@code nonZeros}
 * @param seed the seed of everything
 */
public record SyntheticExtreme(int classes, int features, int nonZeros, int signatureSize, int signatureDraw, long seed) {

    /**
     * The defaults used by the benchmark: 40-feature signatures, 30 of them in each sample (so two samples of a class
     * share about 22 features), the rest of the {@code nonZeros} noise; both scaled down for fewer non-zeros.
     */
    public static SyntheticExtreme of(int classes, int features, int nonZeros, long seed) {
        int signature = Math.min(40, Math.min(features, Math.max(1, nonZeros * 4 / 5)));
        return new SyntheticExtreme(classes, features, nonZeros, signature, Math.max(1, signature * 3 / 4), seed);
    }

    public SyntheticExtreme {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, got " + classes);
        }
        if (nonZeros < 1 || features < nonZeros) {
            throw new IllegalArgumentException("non-zeros per sample must be in [1, features=" + features + "], got " + nonZeros);
        }
        if (signatureSize < 1 || signatureSize > features) {
            throw new IllegalArgumentException("signature size must be in [1, " + features + "], got " + signatureSize);
        }
        if (signatureDraw < 1 || signatureDraw > signatureSize || signatureDraw > nonZeros) {
            throw new IllegalArgumentException("signature draw must be in [1, min(signature size, non-zeros)], got " + signatureDraw);
        }
    }

    /** Samples {@code [from, from + count)} of the infinite sequence this generator defines. */
    public ExtremeDataset generate(long from, int count) {
        if (count < 1 || from < 0) {
            throw new IllegalArgumentException("generate(" + from + ", " + count + "): need from >= 0 and count >= 1");
        }
        if ((long) count * nonZeros > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " samples of " + nonZeros + " non-zeros do not fit one array");
        }
        int[] pointers = new int[count + 1];
        int[] indices = new int[count * nonZeros];
        float[] values = new float[count * nonZeros];
        int[] labelPointers = new int[count + 1];
        int[] labels = new int[count];
        int[] signature = new int[signatureSize];
        int[] row = new int[nonZeros];
        int at = 0;
        for (int s = 0; s < count; s++) {
            long state = SplitMix.at(seed ^ 0x5EEDL, from + s);
            state = SplitMix.next(state);
            double uc = (state >>> 11) * 0x1.0p-53;
            int c = (int) Math.min(classes - 1L, (long) (classes * uc * uc));
            signature(c, signature);
            for (int i = 0; i < signatureDraw; i++) {
                state = SplitMix.next(state);
                int j = i + SplitMix.bounded(state, signatureSize - i);
                int t = signature[i];
                signature[i] = signature[j];
                signature[j] = t;
                row[i] = signature[i];
            }
            for (int i = signatureDraw; i < nonZeros; i++) {
                state = SplitMix.next(state);
                double u = (state >>> 11) * 0x1.0p-53;
                row[i] = (int) Math.min(features - 1L, (long) (features * u * u * u));
            }
            Arrays.sort(row);
            int distinct = 0;
            for (int i = 0; i < nonZeros; i++) {
                if (i == 0 || row[i] != row[i - 1]) {
                    row[distinct++] = row[i];
                }
            }
            float value = (float) (1.0 / Math.sqrt(distinct));
            for (int i = 0; i < distinct; i++) {
                indices[at] = row[i];
                values[at] = value;
                at++;
            }
            pointers[s + 1] = at;
            labels[s] = c;
            labelPointers[s + 1] = s + 1;
        }
        SparseMatrix f = SparseMatrix.trusted(features, pointers, Arrays.copyOf(indices, at), Arrays.copyOf(values, at));
        SparseMatrix l = SparseMatrix.trusted(classes, labelPointers, labels, null);
        return new ExtremeDataset(f, l);
    }

    /** Class {@code c}'s signature features, distinct (rejection of repeats). */
    void signature(int c, int[] out) {
        long state = SplitMix.at(seed ^ 0xC1A55L, c);
        int n = 0;
        while (n < out.length) {
            state = SplitMix.next(state);
            int f = SplitMix.bounded(state, features);
            boolean repeat = false;
            for (int i = 0; i < n && !repeat; i++) {
                repeat = out[i] == f;
            }
            if (!repeat) {
                out[n++] = f;
            }
        }
    }
}
