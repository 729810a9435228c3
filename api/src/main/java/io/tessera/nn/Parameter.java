package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;

/**
 * A trainable tensor and its gradient, owned by a layer. The gradient is overwritten (not accumulated) by each
 * backward pass. {@link #to(Device)} moves both; optimizers keep their state per parameter.
 */
public final class Parameter implements AutoCloseable {
    private final String name;
    private Tensor value;
    private Tensor grad;

    /**
     * Takes ownership of {@code value}; allocates a zero gradient beside it.
     *
     * @param name the name, unique within its layer (checkpoints write it)
     * @param value the values; owned by the parameter from now on
     */
    public Parameter(String name, Tensor value) {
        this.name = name;
        this.value = value;
        this.grad = value.device().zeros(value.shape());
    }

    /**
     * The optional bias of a layer whose weight is already allocated: null when {@code values} is null, else a
     * parameter named {@code bias} of {@code values.length} elements on the weight's device. Closes {@code weight} if
     * the allocation fails, so a failing layer constructor leaks nothing.
     */
    static Parameter biasOrNull(Parameter weight, float[] values) {
        if (values == null) {
            return null;
        }
        try {
            return new Parameter("bias", weight.device().of(values, Shape.of(values.length)));
        } catch (RuntimeException e) {
            weight.close();
            throw e;
        }
    }

    /**
     * The name, unique within its layer.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The values, owned by this parameter; replaced (and the old tensor closed) by {@link #to(Device)}.
     *
     * @return the current value tensor
     */
    public Tensor value() {
        return value;
    }

    /**
     * The gradient, of the value's shape and device, owned by this parameter; replaced by {@link #to(Device)}.
     *
     * @return the current gradient tensor
     */
    public Tensor grad() {
        return grad;
    }

    /**
     * The shape of the values.
     *
     * @return the shape
     */
    public Shape shape() {
        return value.shape();
    }

    /**
     * The device the values are on.
     *
     * @return the device
     */
    public Device device() {
        return value.device();
    }

    /**
     * Copies the values to {@code device} and frees the old ones; a no-op on the same device.
     *
     * @param device the target device; the new gradient is zero
     */
    public void to(Device device) {
        if (device == value.device()) {
            return;
        }
        Tensor newValue = value.to(device);
        Tensor newGrad;
        try {
            newGrad = device.zeros(value.shape());
        } catch (RuntimeException e) {
            newValue.close();
            throw e;
        }
        value.close();
        grad.close();
        value = newValue;
        grad = newGrad;
    }

    /**
     * Replaces the values with {@code data} (host floats, row-major), e.g. from a checkpoint.
     *
     * @param data the values, {@code value().size()} of them; copied before this returns
     * @throws IllegalArgumentException if the length differs
     */
    public void load(float[] data) {
        if (data.length != value.size()) {
            throw new IllegalArgumentException("parameter " + name + " is " + value.shape() + " (" + value.size()
                    + " values) but " + data.length + " values were given");
        }
        value.device().kernels().copyFromHost(data, 0, value, 0, data.length);
        value.markModified();
    }

    @Override
    public void close() {
        value.close();
        grad.close();
    }

    @Override
    public String toString() {
        return "Parameter[" + name + ", " + value.describe() + "]";
    }
}
