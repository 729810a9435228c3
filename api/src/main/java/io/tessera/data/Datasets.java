package io.tessera.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Static helpers over {@link Dataset}s. */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Splits {@code dataset} into disjoint random subsets of the given sizes, which together cover it: PyTorch's
     * {@code random_split}. The split is a pure function of the seed and the sizes (the same on every machine and Java
     * version), but not the same permutation PyTorch draws.
     *
     * @param sizes non-negative sizes that sum to {@code dataset.size()}
     * @param dataset the dataset split; shared by the subsets, not copied
     * @param seed the permutation's seed
     * @return one {@link Subset} per size, in order
     * @throws IllegalArgumentException if a size is negative or the sizes do not sum to the dataset's size
     */
    public static List<Subset> randomSplit(Dataset dataset, long seed, int... sizes) {
        if (sizes.length == 0) {
            throw new IllegalArgumentException("randomSplit needs at least one size");
        }
        long sum = 0;
        for (int size : sizes) {
            if (size < 0) {
                throw new IllegalArgumentException("split sizes " + Arrays.toString(sizes) + " contain a negative size");
            }
            sum += size;
        }
        if (sum != dataset.size()) {
            throw new IllegalArgumentException("split sizes " + Arrays.toString(sizes) + " sum to " + sum + ", but " + dataset + " has "
                    + dataset.size() + " samples");
        }
        int[] permutation = new SplitMix64(seed).permutation(dataset.size());
        List<Subset> parts = new ArrayList<>(sizes.length);
        int from = 0;
        for (int size : sizes) {
            parts.add(new Subset(dataset, Arrays.copyOfRange(permutation, from, from + size)));
            from += size;
        }
        return List.copyOf(parts);
    }
}
