package io.tessera.optim;

import io.tessera.Tensor;
import io.tessera.nn.Buffer;
import io.tessera.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * Stochastic gradient descent with PyTorch's semantics: optional momentum (velocity {@code v = m*v + g},
 * dampening 0) and L2 weight decay ({@code g += wd * p}). One fused kernel per parameter.
 */
public final class SGD implements Optimizer {
    private final List<Parameter> parameters;
    private final List<Tensor> velocities = new ArrayList<>();
    private final float momentum;
    private final float weightDecay;
    private double lr;

    /**
     * Plain SGD: no momentum, no weight decay.
     *
     * @param parameters the parameters updated; the list is copied
     * @param lr the learning rate, {@code >= 0}
     * @throws IllegalArgumentException if {@code lr} is negative or not finite
     */
    public SGD(List<Parameter> parameters, double lr) {
        this(parameters, lr, 0, 0);
    }

    /**
     * SGD with momentum and weight decay; with {@code momentum != 0} a zero velocity per parameter is created on its
     * device. The hyperparameters are used as floats.
     *
     * @param parameters the parameters updated; the list is copied
     * @param lr the learning rate, {@code >= 0}
     * @param momentum the momentum factor, {@code >= 0} (0 for none)
     * @param weightDecay the L2 penalty, {@code >= 0}
     * @throws IllegalArgumentException if an argument is negative or not finite
     */
    public SGD(List<Parameter> parameters, double lr, double momentum, double weightDecay) {
        if (!(lr >= 0) || !(momentum >= 0) || !(weightDecay >= 0) || !Double.isFinite(lr) || !Double.isFinite(momentum)
                || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("SGD needs lr, momentum and weight decay finite and >= 0, got " + lr + ", " + momentum + ", " + weightDecay);
        }
        this.parameters = List.copyOf(parameters);
        this.lr = lr;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        if (momentum != 0) {
            try {
                for (Parameter p : this.parameters) {
                    velocities.add(p.device().zeros(p.shape()));
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    @Override
    public void step() {
        float rate = (float) lr;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            Tensor v = momentum != 0 ? velocities.get(i) : null;
            p.device().kernels().sgdStep(p.value(), p.grad(), v, rate, momentum, weightDecay);
            p.value().markModified();
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        if (!(lr >= 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
        }
        this.lr = lr;
    }

    /** {@inheritDoc} With momentum, {@code momentum.I} for parameter {@code I}; without, none. */
    @Override
    public List<Buffer> stateTensors() {
        List<Buffer> state = new ArrayList<>();
        for (int i = 0; i < velocities.size(); i++) {
            state.add(new Buffer("momentum." + i, velocities.get(i)));
        }
        return state;
    }

    @Override
    public void close() {
        velocities.forEach(Tensor::close);
        velocities.clear();
    }
}
