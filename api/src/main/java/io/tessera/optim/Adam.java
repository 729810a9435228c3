package io.tessera.optim;

import io.tessera.Tensor;
import io.tessera.nn.Buffer;
import io.tessera.nn.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam with PyTorch's semantics ({@code torch.optim.Adam}: bias-corrected moments, L2 weight decay added to the
 * gradient, no AMSGrad). Keeps the first and second moment estimates {@code m} and {@code v} (zeros at the start) per
 * parameter on that parameter's device, and a step counter; one fused {@link io.tessera.spi.Kernels#adamStep} per
 * parameter and step. Create it after moving the model to its device. Not thread-safe; closing frees the state.
 *
 * <p>Precision: the hyperparameters are kept in double and rounded to float at every step, when they are passed to
 * the kernel; the bias corrections {@code 1 - beta^t} are then computed by the kernel in double from those float
 * betas and rounded to float once (see {@link io.tessera.spi.Kernels#adamStep}); the update itself is float.
 */
public final class Adam implements Optimizer {
    private final List<Parameter> parameters;
    private final List<Tensor> m = new ArrayList<>();
    private final List<Tensor> v = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private double lr;
    private int steps;

    /**
     * Adam with PyTorch's defaults: betas {@code (0.9, 0.999)}, eps {@code 1e-8}, no weight decay.
     *
     * @param parameters the parameters updated; copied (the list, not the parameters)
     * @param lr the learning rate, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code lr} is negative or not finite
     */
    public Adam(List<Parameter> parameters, double lr) {
        this(parameters, lr, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * @param parameters the parameters updated; the moment tensors are created on each one's device
     * @param lr the learning rate
     * @param beta1 the first moment's decay rate
     * @param beta2 the second moment's decay rate
     * @param eps added to the denominator; the kernel contract needs it {@code > 0}, so 0 fails at the first
     *            {@link #step()}
     * @param weightDecay the L2 penalty
     * @throws IllegalArgumentException if {@code lr} or {@code weightDecay} is negative or not finite, {@code eps} is
     *                                  not positive and finite once rounded to float, or a beta is outside
     *                                  {@code [0, 1)}
     */
    public Adam(List<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay) {
        checkRate(lr);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Adam: beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: beta2 must be in [0, 1), got " + beta2);
        }
        if (!((float) eps > 0f) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("Adam: eps must be positive and finite in float32 (at least "
                    + Float.MIN_VALUE + "; the kernels divide by sqrt(v) + eps), got " + eps);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("Adam: weight decay must be >= 0 and finite, got " + weightDecay);
        }
        this.parameters = List.copyOf(parameters);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        try {
            for (Parameter p : this.parameters) {
                m.add(p.device().zeros(p.shape()));
                v.add(p.device().zeros(p.shape()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static void checkRate(double lr) {
        if (!(lr >= 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("Adam: learning rate must be >= 0 and finite, got " + lr);
        }
    }

    /** Increments the step counter and updates every parameter from its gradient. */
    @Override
    public void step() {
        if (steps == Integer.MAX_VALUE) {
            throw new IllegalStateException("Adam: step counter overflow");
        }
        steps++;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            p.device().kernels().adamStep(p.value(), p.grad(), m.get(i), v.get(i), (float) lr, (float) beta1, (float) beta2,
                    (float) eps, (float) weightDecay, steps);
            p.value().markModified();
        }
    }

    /**
     * The number of steps taken so far (0 before the first).
     *
     * @return the step counter, {@code >= 0}
     */
    public int steps() {
        return steps;
    }

    /**
     * The first moment's decay rate.
     *
     * @return {@code beta1}, as given
     */
    public double beta1() {
        return beta1;
    }

    /**
     * The second moment's decay rate.
     *
     * @return {@code beta2}, as given
     */
    public double beta2() {
        return beta2;
    }

    /**
     * The term added to the denominator.
     *
     * @return {@code eps}, as given
     */
    public double eps() {
        return eps;
    }

    /**
     * The L2 penalty added to the gradients.
     *
     * @return the weight decay, as given
     */
    public double weightDecay() {
        return weightDecay;
    }

    /** {@inheritDoc} {@code m.I} and {@code v.I} for parameter {@code I}, in parameter order. */
    @Override
    public List<Buffer> stateTensors() {
        List<Buffer> state = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) {
            state.add(new Buffer("m." + i, m.get(i)));
            state.add(new Buffer("v." + i, v.get(i), true));
        }
        return state;
    }

    /** {@inheritDoc} {@code steps}, the bias corrections' step count. */
    @Override
    public Map<String, Long> counters() {
        return Map.of("steps", (long) steps);
    }

    @Override
    public void setCounter(String name, long value) {
        if (!name.equals("steps")) {
            Optimizer.super.setCounter(name, value);
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Adam: steps must be in 0.." + Integer.MAX_VALUE + ", got " + value);
        }
        steps = (int) value;
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        checkRate(lr);
        this.lr = lr;
    }

    @Override
    public void close() {
        m.forEach(Tensor::close);
        v.forEach(Tensor::close);
        m.clear();
        v.clear();
    }

    @Override
    public String toString() {
        return "Adam(lr " + lr + ", betas (" + beta1 + ", " + beta2 + "), eps " + eps + ", weight decay " + weightDecay + ")";
    }
}
