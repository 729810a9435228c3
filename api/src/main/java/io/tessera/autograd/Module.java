package io.tessera.autograd;

import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.Buffer;
import io.tessera.nn.KaimingUniform;
import io.tessera.nn.Layer;
import io.tessera.nn.LayerSpec;
import io.tessera.nn.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A model written as forward code only: a subclass creates its parameters (and any shipped layers) in its constructor
 * and implements {@link #forward(Graph, Tensor)} with the ops of {@link Graph}; the backward pass comes from the
 * graph. A module is a {@link Layer}, so {@code Trainer.fit}, {@code evaluate}, the optimizers, checkpoints and
 * {@link #to(Device)} take it as they take the shipped layers.
 *
 * <pre>{@code
 * final class Mlp extends Module {
 *     private final Parameter[] fc1, fc2;
 *     Mlp(Device device, RandomGenerator random) {
 *         super(device);
 *         fc1 = linearParameters("fc1", 784, 32, random);
 *         fc2 = linearParameters("fc2", 32, 10, random);
 *     }
 *     protected Tensor forward(Graph g, Tensor x) {
 *         Tensor h = g.relu(g.linear(x, fc1[0].value(), fc1[1].value()));
 *         return g.linear(h, fc2[0].value(), fc2[1].value());
 *     }
 * }
 * }</pre>
 *
 * <p>As a {@link Layer}: {@link #forward(Tensor)} starts a new step of the module's own {@link Graph} (the previous
 * step's tensors become invalid, their buffers are reused) and records it in training mode only (evaluation records
 * nothing and keeps nothing); {@link #backward(Tensor, boolean)} overwrites the parameters' gradients, as every layer
 * does. Checkpoints store the parameters by name in creation order, under the type {@link #spec()} names (the class
 * name): restore one into a new instance with {@code Checkpoint.restore}, or register a
 * {@link io.tessera.spi.LayerFactory} for that type to have {@code Checkpoint.load} rebuild it. Not thread-safe.
 */
public abstract class Module implements Layer {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final List<Layer> layers = new ArrayList<>();
    private Device device;
    private Graph graph;
    private boolean training = true;
    private Tensor lastInput;
    private Tensor lastOutput;

    /**
     * A module on {@code device}, with its own {@link Graph} there, in training mode.
     *
     * @param device the device its parameters must be created on
     */
    protected Module(Device device) {
        this.device = device;
        this.graph = new Graph(device);
        graph.setDropoutState(dropoutSeed(), 0);
    }

    /**
     * The computation, written with {@code g}'s ops on {@code x} and this module's parameter values.
     *
     * @param g the module's graph, reset for this step
     * @param x the input batch
     * @return the output, computed by {@code g}'s ops (owned by the graph)
     */
    protected abstract Tensor forward(Graph g, Tensor x);

    /**
     * The device the parameters are on; changed by {@link #to(Device)}.
     *
     * @return the device
     */
    public Device device() {
        return device;
    }

    /**
     * The graph the steps are recorded in (for its allocation counters, or ops outside {@link #forward(Graph,
     * Tensor)}).
     *
     * @return the graph, owned by the module (closed with it)
     */
    public Graph graph() {
        return graph;
    }

    /**
     * Adds a parameter that takes ownership of {@code value}; names are unique within the module.
     *
     * @param name the name, unique within the module
     * @param value the value on the module's device; owned by the parameter from now on (closed on failure too)
     * @return the parameter
     * @throws IllegalArgumentException if the name is taken or the value is on another device
     */
    protected final Parameter parameter(String name, Tensor value) {
        if (parameters.containsKey(name)) {
            value.close();
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has a parameter named '" + name + "'");
        }
        if (value.device() != device) {
            value.close();
            throw new IllegalArgumentException("parameter '" + name + "' is on " + value.device().id() + " but the module is on "
                    + device.id());
        }
        Parameter p = new Parameter(name, value);
        parameters.put(name, p);
        return p;
    }

    /**
     * A parameter of {@code shape} holding {@code values} (host floats, row-major).
     *
     * @param name the name, unique within the module
     * @param shape the shape
     * @param values the values, {@code shape.size()} of them; copied
     * @return the parameter
     */
    protected final Parameter parameter(String name, Shape shape, float[] values) {
        return parameter(name, device.of(values, shape));
    }

    /**
     * The weight {@code [out, in]} and bias {@code [out]} of a linear map, named {@code prefix.weight} and
     * {@code prefix.bias}, initialised as the Linear layer (PyTorch's default, drawn from {@code random} in the same
     * order), for {@link Graph#linear}.
     *
     * @param prefix the names' prefix
     * @param in the input features
     * @param out the output features
     * @param random the source of the initial values
     * @return {@code {weight, bias}}
     */
    protected final Parameter[] linearParameters(String prefix, int in, int out, RandomGenerator random) {
        float[][] init = KaimingUniform.draw(in * out, out, in, random);
        return new Parameter[] {parameter(prefix + ".weight", Shape.of(out, in), init[0]),
            parameter(prefix + ".bias", Shape.of(out), init[1])};
    }

    /**
     * Adopts a shipped layer (for {@link Graph#layer}): its parameters, buffers and mode become this module's.
     *
     * @param <L> the layer's type
     * @param layer a layer on the module's device; owned by the module from now on
     * @return {@code layer}
     */
    protected final <L extends Layer> L layer(L layer) {
        layers.add(layer);
        return layer;
    }

    @Override
    public final Tensor forward(Tensor input) {
        graph.reset();
        graph.setTraining(training);
        graph.setRecording(training);
        for (Parameter p : parameters.values()) {
            graph.param(p);
        }
        if (training) {
            graph.requireGrad(input);
        }
        lastInput = input;
        lastOutput = forward(graph, input);
        return lastOutput;
    }

    @Override
    public final Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    @Override
    public final Tensor backward(Tensor gradOutput, boolean inputGradient) {
        if (lastOutput == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ": backward before forward");
        }
        if (!graph.requiresGrad(lastOutput)) {
            throw new IllegalStateException(getClass().getSimpleName() + ": backward after a forward pass that recorded"
                    + " nothing (evaluation mode records nothing: call train() before the forward pass)");
        }
        graph.wantGrad(lastInput, inputGradient);
        graph.backward(lastOutput, gradOutput, true, false);
        if (!inputGradient) {
            return null;
        }
        Tensor g = graph.grad(lastInput);
        if (g == null) {
            g = graph.output(lastInput.shape());
            device.kernels().fill(g, 0f);
        }
        return g;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(parameters.values());
        for (Layer l : layers) {
            all.addAll(l.parameters());
        }
        return List.copyOf(all);
    }

    @Override
    public List<Buffer> buffers() {
        List<Buffer> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.buffers());
        }
        return List.copyOf(all);
    }

    /** The dropout stream's offset, so a resumed run draws the masks an uninterrupted one would. */
    @Override
    public Map<String, Long> counters() {
        return Map.of("dropoutOffset", graph.dropoutOffset());
    }

    @Override
    public void setCounter(String name, long value) {
        if (!name.equals("dropoutOffset")) {
            Layer.super.setCounter(name, value);
        }
        graph.setDropoutState(dropoutSeed(), value);
    }

    /**
     * The seed of {@link Graph#dropout}'s masks; override (with a constant: it is read by the constructor) for another
     * stream.
     *
     * @return the seed; {@code 0x5eed} by default
     */
    protected long dropoutSeed() {
        return 0x5eedL;
    }

    @Override
    public Module to(Device target) {
        if (target == device) {
            return this;
        }
        for (Parameter p : parameters.values()) {
            p.to(target);
        }
        for (Layer l : layers) {
            l.to(target);
        }
        long offset = graph.dropoutOffset();
        graph.close();
        device = target;
        graph = new Graph(target);
        graph.setDropoutState(dropoutSeed(), offset);
        lastInput = null;
        lastOutput = null;
        return this;
    }

    /** The class name as the layer type; override to add attributes a {@link io.tessera.spi.LayerFactory} rebuilds from. */
    @Override
    public LayerSpec spec() {
        return LayerSpec.of(getClass().getName().replace('$', '.'));
    }

    @Override
    public void train(boolean training) {
        this.training = training;
        for (Layer l : layers) {
            l.train(training);
        }
    }

    @Override
    public void close() {
        graph.close();
        parameters.values().forEach(Parameter::close);
        layers.forEach(Layer::close);
    }
}
