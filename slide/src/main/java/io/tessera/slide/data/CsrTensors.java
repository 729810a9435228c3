package io.tessera.slide.data;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;

/**
 * A {@link SparseBatch}'s features on a device: three tensors in CSR form, {@code rowPointers} INT32
 * {@code [samples + 1]}, {@code indices} INT32 {@code [nonZeros]} and {@code values} FLOAT32 {@code [nonZeros]}. It owns
 * them and frees them on {@link #close()}. The SLIDE layers run on the host and read the batch itself; this is the
 * form a device kernel over sparse input reads, and it works on every backend since it is made of plain copies.
 */
public final class CsrTensors implements AutoCloseable {
    private final Tensor rowPointers;
    private final Tensor indices;
    private final Tensor values;

    private CsrTensors(Tensor rowPointers, Tensor indices, Tensor values) {
        this.rowPointers = rowPointers;
        this.indices = indices;
        this.values = values;
    }

    /**
     * Copies the batch's features to {@code device}.
     *
     * @throws IllegalArgumentException when the batch is empty or has no non-zero feature (tensors cannot be empty)
     */
    public static CsrTensors upload(SparseBatch batch, Device device) {
        int n = batch.size();
        int nonZeros = batch.nonZeros();
        if (n == 0 || nonZeros == 0) {
            throw new IllegalArgumentException("a batch of " + n + " samples with " + nonZeros
                    + " non-zero features cannot be uploaded to " + device.id() + ": tensors cannot be empty");
        }
        Tensor pointers = device.empty(Shape.of(n + 1), DType.INT32);
        Tensor idx = null;
        try {
            idx = device.empty(Shape.of(nonZeros), DType.INT32);
            Tensor vals = device.empty(Shape.of(nonZeros), DType.FLOAT32);
            device.kernels().copyFromHost(batch.featurePointers(), 0, pointers, 0, n + 1);
            device.kernels().copyFromHost(batch.featureIndices(), 0, idx, 0, nonZeros);
            device.kernels().copyFromHost(batch.featureValues(), 0, vals, 0, nonZeros);
            return new CsrTensors(pointers, idx, vals);
        } catch (RuntimeException e) {
            pointers.close();
            if (idx != null) {
                idx.close();
            }
            throw e;
        }
    }

    public Tensor rowPointers() {
        return rowPointers;
    }

    public Tensor indices() {
        return indices;
    }

    public Tensor values() {
        return values;
    }

    @Override
    public void close() {
        values.close();
        indices.close();
        rowPointers.close();
    }
}
