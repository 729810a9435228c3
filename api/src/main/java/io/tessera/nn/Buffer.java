package io.tessera.nn;

import io.tessera.Shape;
import io.tessera.Tensor;

/**
 * A named, non-trainable tensor of a layer's state, such as batch normalisation's running statistics (PyTorch's
 * "buffers"). An immutable handle: the layer owns and frees the tensor; a {@code Buffer} only names it. Handles from
 * {@link Layer#buffers()} are valid until the layer's next {@link Layer#to} or {@link Layer#close()}; ask again after
 * moving a layer. Optimizers never see buffers; checkpoints store them; {@link Layer#to} moves them.
 *
 * @param name        the name, unique within its layer, letters, digits, {@code _} or {@code .} (checkpoints write it)
 * @param value       the tensor, float32, owned by the layer
 * @param nonNegative whether every value must be {@code >= 0} (a variance); checkpoints refuse negative values then
 */
public record Buffer(String name, Tensor value, boolean nonNegative) {

    /**
     * A buffer whose values may have any sign.
     *
     * @param name the name
     * @param value the tensor, owned by the layer
     */
    public Buffer(String name, Tensor value) {
        this(name, value, false);
    }

    /**
     * Validates the name and that a tensor is given.
     *
     * @param name the name
     * @param value the tensor
     * @param nonNegative whether values must be {@code >= 0}
     * @throws IllegalArgumentException if the name is malformed or the tensor null
     */
    public Buffer {
        if (name == null || !name.matches("[A-Za-z0-9_.]+")) {
            throw new IllegalArgumentException("buffer name '" + name + "' must be letters, digits, '_' or '.'");
        }
        if (value == null) {
            throw new IllegalArgumentException("buffer " + name + " needs a tensor");
        }
    }

    /**
     * The tensor's shape.
     *
     * @return the shape
     */
    public Shape shape() {
        return value.shape();
    }

    /**
     * Overwrites the values with {@code data} (host floats, row-major), e.g. from a checkpoint.
     *
     * @param data the values, {@code value().size()} of them; copied before this returns
     * @throws IllegalArgumentException if the length differs
     */
    public void load(float[] data) {
        if (data.length != value.size()) {
            throw new IllegalArgumentException("buffer " + name + " is " + value.shape() + " (" + value.size()
                    + " values) but " + data.length + " values were given");
        }
        value.device().kernels().copyFromHost(data, 0, value, 0, data.length);
    }

    @Override
    public String toString() {
        return "Buffer[" + name + ", " + value.describe() + "]";
    }
}
