package io.tessera.nn;

import io.tessera.Device;
import io.tessera.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Layers applied in order; backward runs them in reverse. Owns its layers. */
public final class Sequential implements Layer {
    /**
     * The type name {@link #spec()} reports; checkpoints write a Sequential as its layers, so no factory builds this
     * type.
     */
    public static final String TYPE = "Sequential";

    private final List<Layer> layers;
    private final int firstTrainable;

    /**
     * A model of {@code layers}, which it owns from now on (closing it closes them).
     *
     * @param layers the layers in order, at least one; the list is copied
     * @throws IllegalArgumentException if the list is empty
     */
    public Sequential(List<? extends Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a Sequential needs at least one layer");
        }
        this.layers = List.copyOf(layers);
        int first = this.layers.size();
        for (int i = this.layers.size() - 1; i >= 0; i--) {
            if (!this.layers.get(i).parameters().isEmpty()) {
                first = i;
            }
        }
        this.firstTrainable = first;
    }

    /**
     * As the constructor.
     *
     * @param layers the layers in order, at least one
     * @return the model
     */
    public static Sequential of(Layer... layers) {
        return new Sequential(List.of(layers));
    }

    /**
     * The layers, in order.
     *
     * @return an unmodifiable list of the layers, owned by this model
     */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Layer layer : layers) {
            x = layer.forward(x);
        }
        return x;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    /**
     * {@inheritDoc} Without the input gradient, the layers before the first one with parameters are not run
     * backward at all, and that one is asked for its parameter gradients only; returns null then.
     */
    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGradient) {
        Tensor g = gradOutput;
        int last = inputGradient ? 0 : firstTrainable;
        for (int i = layers.size() - 1; i >= last; i--) {
            g = layers.get(i).backward(g, inputGradient || i > firstTrainable);
        }
        return inputGradient ? g : null;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.parameters());
        }
        return all;
    }

    /** Every layer's buffers, in layer order. */
    @Override
    public List<Buffer> buffers() {
        List<Buffer> all = new ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.buffers());
        }
        return all;
    }

    @Override
    public Sequential to(Device device) {
        for (Layer layer : layers) {
            layer.to(device);
        }
        return this;
    }

    /** Sets the mode of every layer (nested ones included). */
    @Override
    public void train(boolean training) {
        for (Layer layer : layers) {
            layer.train(training);
        }
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of(TYPE);
    }

    /** The number of trainable values. */
    public long parameterCount() {
        return parameters().stream().mapToLong(p -> p.value().size()).sum();
    }

    @Override
    public void close() {
        for (Layer layer : layers) {
            layer.close();
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Sequential(");
        for (int i = 0; i < layers.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(layers.get(i));
        }
        return b.append(')').toString();
    }
}
