package io.tessera.data;

/**
 * Training data whose position can be read and set: the epoch its next {@code iterator()} produces, and the batch
 * within that epoch to start at. A resumed run seeks to where the checkpoint says the interrupted one stopped and then
 * sees exactly the batches it would have seen. {@link DataLoader} and {@link DeviceDataLoader} implement it; the
 * trainer's checkpoints need it to resume. Implementations are for the one thread that iterates.
 */
public interface SeekableEpochs {

    /**
     * The epoch the next {@code iterator()} produces.
     *
     * @return the epoch, from 0
     */
    int nextEpoch();

    /**
     * Makes the next {@code iterator()} produce epoch {@code epoch} starting at batch {@code batch} (the first
     * {@code batch} batches are left out); the iterators after it produce {@code epoch + 1}, ... from their first batch.
     *
     * @param epoch the epoch, {@code >= 0}
     * @param batch the batches to leave out
     * @throws IllegalArgumentException if {@code epoch} is negative or {@code batch} is outside {@code 0..batchCount()}
     */
    void seek(int epoch, int batch);

    /**
     * The number of batches per epoch.
     *
     * @return the count, {@code >= 1}
     */
    int batchCount();

    /**
     * What decides the order of the batches, as text (sample count, batch size, shuffle seed, drop-last): a resumed
     * run refuses data whose order differs from the interrupted run's.
     *
     * @return the description
     */
    String order();
}
