package io.tessera.autograd;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.Layer;
import io.tessera.nn.Parameter;
import io.tessera.spi.BinaryFunction;
import io.tessera.spi.Kernels;
import io.tessera.spi.UnaryFunction;
import io.tessera.spi.Window2d;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor algebra with reverse-mode automatic differentiation, for one device: every op is a method here, and
 * while recording, each op whose input requires a gradient appends one node to the graph of the step.
 * {@link #backward(Tensor)} then fills the gradients of the {@link #param parameters} (accumulating into
 * {@link Parameter#grad()}, as PyTorch's {@code loss.backward()} does; {@link #zeroGrad} clears them) and of the
 * tensors marked with {@link #requireGrad}.
 *
 * <p><b>Memory.</b> Every tensor an op returns belongs to this graph: it lives in a pool of device buffers and stays
 * valid until {@link #reset()} (the start of the next step), which frees the step's record and makes the buffers free
 * for reuse; a step of the same shapes then allocates no device memory. {@link #close()} frees the buffers. Callers
 * never close what an op returns. Inputs that are not the graph's (parameters, a batch) must stay open and unchanged
 * until the backward pass; a saved tensor changed in place (reported by {@link Tensor#markModified()}, which the
 * optimizers call) fails the backward pass with a message naming it.
 *
 * <p><b>Broadcasting.</b> Element-wise ops of two tensors align shapes from the right; a dimension of 1 stretches to
 * the other's. An operand broadcasts when its dimensions other than 1 form one contiguous run equal to the result's
 * ({@code [C]} or {@code [1, C]} over {@code [N, C]}, {@code [N, 1]} over {@code [N, C]}, {@code [C, 1, 1]} over
 * {@code [N, C, H, W]}, a scalar over anything); other combinations fail naming both shapes.
 *
 * <p>Not thread-safe: one thread runs a step.
 */
public final class Graph implements AutoCloseable {

    /** What the graph knows of a tensor that requires a gradient. */
    static final class Var {
        final Node producer;
        final Parameter parameter;
        boolean wanted;
        boolean needed;
        Tensor grad;

        Var(Node producer, Parameter parameter, boolean wanted) {
            this.producer = producer;
            this.parameter = parameter;
            this.wanted = wanted;
        }
    }

    /** One recorded op. */
    static final class Node {
        final String op;
        final Tensor output;
        final Tensor[] inputs;
        final Tensor[] saved;
        final long[] versions;
        final Backward backward;
        boolean released;
        boolean ownsParameters;

        Node(String op, Tensor output, Tensor[] inputs, Tensor[] saved, Backward backward) {
            this.op = op;
            this.output = output;
            this.inputs = inputs;
            this.saved = saved;
            this.versions = new long[saved.length];
            for (int i = 0; i < saved.length; i++) {
                versions[i] = saved[i].version();
            }
            this.backward = backward;
        }
    }

    private final Device device;
    private final Kernels kernels;
    private final TensorPool pool;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<Tensor, Var> vars = new IdentityHashMap<>();
    private final Map<Layer, Boolean> layersThisStep = new IdentityHashMap<>();
    private final Map<Tensor, Slot> grads = new IdentityHashMap<>();
    private final Sink sink = new Sink();
    private boolean recording = true;
    private boolean training = true;
    private long dropoutSeed;
    private long dropoutOffset;
    private boolean closed;
    private boolean accumulating;

    /**
     * A graph on {@code device}, recording, in training mode.
     *
     * @param device the device every op runs on; the graph keeps its kernels and a pool of its buffers
     */
    public Graph(Device device) {
        this.device = device;
        this.kernels = device.kernels();
        this.pool = new TensorPool(device);
    }

    /**
     * The device every op of this graph runs on.
     *
     * @return the device given to the constructor
     */
    public Device device() {
        return device;
    }

    // ---- lifecycle and modes ----------------------------------------------------------------------------------

    /**
     * Starts a new step: forgets the record and makes every tensor the ops returned invalid (their buffers are reused).
     * Parameters' gradients are kept.
     */
    public void reset() {
        checkOpen();
        nodes.clear();
        vars.clear();
        layersThisStep.clear();
        pool.releaseAll();
    }

    /**
     * Whether ops are being recorded (false inside {@link #noGrad()}).
     *
     * @return true while ops are recorded
     */
    public boolean isRecording() {
        return recording;
    }

    /**
     * Turns recording on or off; returns the previous setting.
     *
     * @param on whether ops are recorded from now on
     * @return whether they were before
     */
    public boolean setRecording(boolean on) {
        boolean was = recording;
        recording = on;
        return was;
    }

    /**
     * Stops recording until the returned handle is closed (PyTorch's {@code torch.no_grad()}): ops compute values only,
     * keep nothing for a backward pass, and their results require no gradient.
     *
     * @return the handle whose {@code close()} restores recording; use it in try-with-resources
     */
    public NoGrad noGrad() {
        return new NoGrad(this, setRecording(false));
    }

    /** Recording switched off until {@link #close()}, which restores the earlier setting. */
    public static final class NoGrad implements AutoCloseable {
        private final Graph graph;
        private final boolean previous;
        private boolean closed;

        private NoGrad(Graph graph, boolean previous) {
            this.graph = graph;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                graph.recording = previous;
            }
        }
    }

    /**
     * Training mode: {@link #dropout} drops, {@link #batchNorm} uses batch statistics. On by default.
     *
     * @return true in training mode
     */
    public boolean isTraining() {
        return training;
    }

    /**
     * Switches between training mode (true) and evaluation mode (false); affects {@link #dropout} and
     * {@link #batchNorm} from the next call.
     *
     * @param training the new mode
     */
    public void setTraining(boolean training) {
        this.training = training;
    }

    /**
     * The seed and the running element offset of {@link #dropout}'s masks (the same Philox stream as the Dropout layer).
     * The offset advances by the size of every mask drawn; a checkpoint saves it to repeat a run.
     *
     * @param seed the Philox key of the masks
     * @param offset the element offset of the next mask, {@code >= 0}
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public void setDropoutState(long seed, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("dropout offset must not be negative, got " + offset);
        }
        this.dropoutSeed = seed;
        this.dropoutOffset = offset;
    }

    /**
     * The element offset the next {@link #dropout} mask starts at (see {@link #setDropoutState}).
     *
     * @return the offset, {@code >= 0}
     */
    public long dropoutOffset() {
        return dropoutOffset;
    }

    /**
     * Device allocations this graph has made; it stops growing once the steps repeat their shapes.
     *
     * @return the number of device buffers allocated since construction
     */
    public long allocations() {
        return pool.allocations();
    }

    /**
     * Bytes of device memory the graph's pool holds.
     *
     * @return the bytes of the pooled buffers, in use or free
     */
    public long pooledBytes() {
        return pool.bytes();
    }

    /**
     * Nodes recorded since the last reset or backward.
     *
     * @return the number of nodes in the current record
     */
    public int recordedOps() {
        return nodes.size();
    }

    /** Frees every buffer the graph holds. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        nodes.clear();
        vars.clear();
        pool.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the graph on " + device.id() + " is closed");
        }
    }

    // ---- leaves and gradients ---------------------------------------------------------------------------------

    /**
     * Enters a parameter into the graph and returns its value: ops on it are recorded, and backward accumulates its
     * gradient into {@link Parameter#grad()}. A parameter entered again in the same step is the same leaf.
     *
     * @param parameter a parameter on this graph's device
     * @return its value tensor (the parameter's own, not a copy; owned by the parameter)
     * @throws IllegalArgumentException if the parameter is on another device
     */
    public Tensor param(Parameter parameter) {
        checkOpen();
        Tensor value = parameter.value();
        checkDevice("param", parameter.name(), value);
        vars.computeIfAbsent(value, v -> new Var(null, parameter, true));
        return value;
    }

    /**
     * Marks {@code tensor} (a tensor not made by an op: an input) as requiring a gradient, which backward fills and
     * {@link #grad} returns; valid until the next reset. Returns the tensor.
     *
     * @param tensor an open tensor on this graph's device, not an op's result
     * @return {@code tensor} itself
     * @throws IllegalArgumentException if an op of this graph made {@code tensor}, or it is on another device
     */
    public Tensor requireGrad(Tensor tensor) {
        checkOpen();
        checkDevice("requireGrad", "tensor", tensor);
        Var var = vars.get(tensor);
        if (var != null && var.producer != null) {
            throw new IllegalArgumentException("requireGrad: " + tensor.describe() + " was made by op '" + var.producer.op
                    + "'; mark the leaves it was computed from instead");
        }
        if (var == null) {
            vars.put(tensor, new Var(null, null, true));
        } else {
            var.wanted = true;
        }
        return tensor;
    }

    /** Whether a backward pass should compute {@code leaf}'s gradient (marked with {@link #requireGrad}). */
    void wantGrad(Tensor leaf, boolean wanted) {
        Var var = vars.get(leaf);
        if (var != null && var.producer == null && var.parameter == null) {
            var.wanted = wanted;
        }
    }

    /**
     * Whether {@code tensor} requires a gradient: a parameter, a marked leaf, or computed from one while recording.
     *
     * @param tensor any tensor
     * @return whether this graph tracks a gradient for it
     */
    public boolean requiresGrad(Tensor tensor) {
        return vars.containsKey(tensor);
    }

    /**
     * The gradient the last backward pass computed for a tensor marked with {@link #requireGrad}; null if the backward
     * pass did not reach it. For parameters read {@link Parameter#grad()}.
     *
     * @param leaf a tensor marked with {@link #requireGrad} in this step
     * @return its gradient, owned by the graph (valid until {@link #reset()}), or null
     * @throws IllegalArgumentException if {@code leaf} does not require a gradient in this graph
     */
    public Tensor grad(Tensor leaf) {
        Var var = vars.get(leaf);
        if (var == null) {
            throw new IllegalArgumentException("grad: " + leaf.describe() + " does not require a gradient in this graph");
        }
        return var.grad;
    }

    /**
     * Sets the gradients of {@code parameters} to 0 (PyTorch's {@code optimizer.zero_grad()}).
     *
     * @param parameters the parameters whose gradient tensors are filled with 0 on their own devices
     */
    public static void zeroGrad(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            p.device().kernels().fill(p.grad(), 0f);
        }
    }

    /**
     * The same values, cut from the graph: a view that requires no gradient (PyTorch's {@code detach()}); valid as long
     * as {@code tensor} is.
     *
     * @param tensor an open tensor
     * @return a view of it, not tracked by the graph; do not close it
     */
    public Tensor detach(Tensor tensor) {
        tensor.checkOpen();
        return tensor.view(tensor.shape());
    }

    /**
     * Backpropagates from a one-element {@code loss}: the gradient of every parameter it depends on is added to
     * {@link Parameter#grad()}. Frees the record: a second backward before the next step fails.
     *
     * @param loss a one-element result of this graph's ops
     * @throws IllegalStateException if the graph was already freed by a backward pass, or nothing in it requires a gradient
     * @throws IllegalArgumentException if {@code loss} has more than one element (pass a gradient then)
     */
    public void backward(Tensor loss) {
        if (loss.size() != 1) {
            throw new IllegalArgumentException("backward of a non-scalar " + loss.describe()
                    + " needs a gradient of the same shape: call backward(output, gradient)");
        }
        Tensor seed = pool.take(loss.shape(), DType.FLOAT32);
        kernels.fill(seed, 1f);
        backward(loss, seed, false, false);
    }

    /**
     * Backpropagates {@code gradient} (the output's shape or size) from {@code output}, accumulating, then frees the
     * record.
     *
     * @param output a result of this graph's ops that requires a gradient
     * @param gradient the gradient of {@code output}, on this device; read only
     */
    public void backward(Tensor output, Tensor gradient) {
        backward(output, gradient, false, false);
    }

    /**
     * The general form: {@code overwrite} replaces the parameters' gradients instead of adding to them (the
     * {@link Layer} contract); {@code retainGraph} keeps the record for another backward pass.
     *
     * @param output a result of this graph's ops that requires a gradient
     * @param gradient the gradient of {@code output}, on this device; read only
     * @param overwrite true to replace the parameters' gradients, false to add to them
     * @param retainGraph true to keep the record for another backward pass
     * @throws IllegalStateException if {@code output} requires no gradient, the record was freed, or the graph is
     *                               closed
     */
    public void backward(Tensor output, Tensor gradient, boolean overwrite, boolean retainGraph) {
        checkOpen();
        Var root = vars.get(output);
        if (root == null) {
            throw new IllegalStateException("backward: " + output.describe() + " does not require a gradient: no parameter"
                    + " or requireGrad tensor led to it, or it was computed while not recording (noGrad, evaluation)");
        }
        if (root.producer != null && root.producer.released) {
            throw freedGraph(root.producer);
        }
        checkDevice("backward", "gradient", gradient);
        if (gradient.size() != output.size()) {
            throw new IllegalArgumentException("backward: the gradient " + gradient.describe() + " does not fit the output "
                    + output.describe());
        }
        markNeeded();
        accumulating = !overwrite;
        Map<Tensor, Slot> grads = this.grads;
        grads.clear();
        sink.grads = grads;
        grads.put(output, new Slot(view(gradient, output.shape()), true));
        for (int n = nodes.size() - 1; n >= 0; n--) {
            Node node = nodes.get(n);
            Slot slot = grads.get(node.output);
            if (slot == null || !vars.get(node.output).needed) {
                continue;
            }
            grads.remove(node.output);
            checkVersions(node);
            sink.node = node;
            node.backward.apply(slot.tensor, sink);
        }
        for (Map.Entry<Tensor, Slot> e : grads.entrySet()) {
            Var var = vars.get(e.getKey());
            if (var != null && var.producer != null && var.producer.released) {
                throw freedGraph(var.producer);
            }
            if (var == null || var.producer != null || !var.wanted) {
                continue;
            }
            if (var.parameter != null) {
                Tensor target = var.parameter.grad();
                if (e.getValue().tensor == target) {
                    continue;
                }
                if (overwrite) {
                    kernels.copy(e.getValue().tensor, target);
                } else {
                    kernels.axpy(1f, e.getValue().tensor, target);
                }
            } else {
                var.grad = e.getValue().tensor;
            }
        }
        if (overwrite) {
            for (Var var : vars.values()) {
                if (var.parameter != null && var.wanted && !grads.containsKey(var.parameter.value())) {
                    kernels.fill(var.parameter.grad(), 0f);
                }
            }
        }
        grads.clear();
        sink.node = null;
        if (!retainGraph) {
            nodes.forEach(node -> node.released = true);
            nodes.clear();
        }
    }

    private static IllegalStateException freedGraph(Node node) {
        return new IllegalStateException("backward through a graph that a backward pass already freed (at op '" + node.op
                + "'): run the forward computation again, or pass retainGraph = true to the first backward");
    }

    private void markNeeded() {
        for (Var var : vars.values()) {
            var.needed = var.producer == null ? var.wanted : var.producer.released;
        }
        for (Node node : nodes) {
            boolean needed = node.ownsParameters;
            for (Tensor input : node.inputs) {
                Var v = vars.get(input);
                needed |= v != null && v.needed;
            }
            vars.get(node.output).needed = needed;
        }
    }

    private static void checkVersions(Node node) {
        for (int i = 0; i < node.saved.length; i++) {
            long now = node.saved[i].version();
            if (now != node.versions[i]) {
                throw new IllegalStateException("backward of '" + node.op + "': a tensor it saved (" + node.saved[i].describe()
                        + ") was modified in place after the op used it (version " + node.versions[i] + ", now " + now
                        + "), e.g. by an optimizer step before backward; backward needs the values the forward pass saw");
            }
        }
    }

    /** A gradient being summed; {@code shared} when it is someone else's tensor and must not be written. */
    private static final class Slot {
        Tensor tensor;
        boolean shared;

        Slot(Tensor tensor, boolean shared) {
            this.tensor = tensor;
            this.shared = shared;
        }
    }

    /** The view of the backward pass one node's step gets; reused from node to node. */
    private final class Sink implements Gradients {
        private Node node;
        private Map<Tensor, Slot> grads;

        @Override
        public boolean needs(int i) {
            Var v = vars.get(node.inputs[i]);
            return v != null && v.needed;
        }

        @Override
        public Tensor scratch(Shape shape) {
            return pool.take(shape, DType.FLOAT32);
        }

        @Override
        public Tensor target(int i) {
            Tensor input = node.inputs[i];
            Var v = vars.get(input);
            if (!accumulating && v != null && v.parameter != null && !grads.containsKey(input)
                    && v.parameter.grad().shape().equals(input.shape()) && onceAmongInputs(input)) {
                return v.parameter.grad();
            }
            return pool.take(input.shape(), DType.FLOAT32);
        }

        private boolean onceAmongInputs(Tensor input) {
            int count = 0;
            for (Tensor t : node.inputs) {
                count += t == input ? 1 : 0;
            }
            return count == 1;
        }

        @Override
        public void add(int i, Tensor gradient, boolean fresh) {
            if (!needs(i)) {
                return;
            }
            Tensor input = node.inputs[i];
            Tensor g = view(gradient, input.shape());
            Slot slot = grads.get(input);
            if (slot == null) {
                grads.put(input, new Slot(g, !fresh));
            } else if (slot.shared) {
                Tensor sum = pool.take(input.shape(), DType.FLOAT32);
                kernels.add(slot.tensor, g, sum);
                slot.tensor = sum;
                slot.shared = false;
            } else {
                kernels.add(slot.tensor, g, slot.tensor);
            }
        }
    }

    private static Tensor view(Tensor t, Shape shape) {
        return t.shape().equals(shape) ? t : t.view(shape);
    }


    // ---- ops: element-wise ------------------------------------------------------------------------------------

    /**
     * {@code a + b}, broadcasting.
     *
     * @param a the first FLOAT32 operand
     * @param b the second FLOAT32 operand, broadcast against {@code a}
     * @return the result, of the broadcast shape, owned by the graph (valid until {@link #reset()})
     * @throws IllegalArgumentException if the shapes do not broadcast, or an operand is not FLOAT32 on this device
     */
    public Tensor add(Tensor a, Tensor b) {
        return Elementwise.binary(this, "add", BinaryFunction.ADD, a, b);
    }

    /**
     * {@code a - b}, broadcasting.
     *
     * @param a the first FLOAT32 operand
     * @param b the second FLOAT32 operand, broadcast against {@code a}
     * @return the result, of the broadcast shape, owned by the graph (valid until {@link #reset()})
     * @throws IllegalArgumentException if the shapes do not broadcast, or an operand is not FLOAT32 on this device
     */
    public Tensor sub(Tensor a, Tensor b) {
        return Elementwise.binary(this, "sub", BinaryFunction.SUB, a, b);
    }

    /**
     * {@code a * b} element by element, broadcasting.
     *
     * @param a the first FLOAT32 operand
     * @param b the second FLOAT32 operand, broadcast against {@code a}
     * @return the result, of the broadcast shape, owned by the graph (valid until {@link #reset()})
     * @throws IllegalArgumentException if the shapes do not broadcast, or an operand is not FLOAT32 on this device
     */
    public Tensor mul(Tensor a, Tensor b) {
        return Elementwise.binary(this, "mul", BinaryFunction.MUL, a, b);
    }

    /**
     * {@code a / b} element by element, broadcasting.
     *
     * @param a the first FLOAT32 operand
     * @param b the second FLOAT32 operand, broadcast against {@code a}
     * @return the result, of the broadcast shape, owned by the graph (valid until {@link #reset()})
     * @throws IllegalArgumentException if the shapes do not broadcast, or an operand is not FLOAT32 on this device
     */
    public Tensor div(Tensor a, Tensor b) {
        return Elementwise.binary(this, "div", BinaryFunction.DIV, a, b);
    }

    /**
     * {@code x + s}.
     *
     * @param x a FLOAT32 tensor on this device
     * @param s the scalar
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor add(Tensor x, float s) {
        return Elementwise.scalar(this, "add", UnaryFunction.ADD_SCALAR, s, x);
    }

    /**
     * {@code x - s}.
     *
     * @param x a FLOAT32 tensor on this device
     * @param s the scalar
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor sub(Tensor x, float s) {
        return Elementwise.scalar(this, "sub", UnaryFunction.ADD_SCALAR, -s, x);
    }

    /**
     * {@code x * s}.
     *
     * @param x a FLOAT32 tensor on this device
     * @param s the scalar
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor mul(Tensor x, float s) {
        return Elementwise.scalar(this, "mul", UnaryFunction.MUL_SCALAR, s, x);
    }

    /**
     * {@code x / s}.
     *
     * @param x a FLOAT32 tensor on this device
     * @param s the scalar
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor div(Tensor x, float s) {
        return Elementwise.scalar(this, "div", UnaryFunction.MUL_SCALAR, 1f / s, x);
    }

    /**
     * {@code -x}.
     *
     * @param x a FLOAT32 tensor on this device
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor neg(Tensor x) {
        return Elementwise.scalar(this, "neg", UnaryFunction.NEG, 0f, x);
    }

    /**
     * {@code x^p} element by element.
     *
     * @param x a FLOAT32 tensor on this device
     * @param p the exponent (Java's {@code Math.pow} rules)
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor pow(Tensor x, float p) {
        return Elementwise.unary(this, "pow", UnaryFunction.POW, p, x);
    }

    /**
     * {@code e^x} element by element.
     *
     * @param x a FLOAT32 tensor on this device
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor exp(Tensor x) {
        return Elementwise.unary(this, "exp", UnaryFunction.EXP, 0f, x);
    }

    /**
     * Natural logarithm.
     *
     * @param x a FLOAT32 tensor on this device (NaN below 0, {@code -inf} at 0)
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor log(Tensor x) {
        return Elementwise.unary(this, "log", UnaryFunction.LOG, 0f, x);
    }

    /**
     * Square root element by element (NaN below 0).
     *
     * @param x a FLOAT32 tensor on this device
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor sqrt(Tensor x) {
        return Elementwise.unary(this, "sqrt", UnaryFunction.SQRT, 0f, x);
    }

    /**
     * Absolute value element by element; the gradient at 0 is 0.
     *
     * @param x a FLOAT32 tensor on this device
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor abs(Tensor x) {
        return Elementwise.unary(this, "abs", UnaryFunction.ABS, 0f, x);
    }

    /**
     * Hyperbolic tangent element by element.
     *
     * @param x a FLOAT32 tensor on this device
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor tanh(Tensor x) {
        return Elementwise.unary(this, "tanh", UnaryFunction.TANH, 0f, x);
    }

    /**
     * The logistic function {@code 1 / (1 + e^-x)} element by element.
     *
     * @param x a FLOAT32 tensor on this device
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor sigmoid(Tensor x) {
        return Elementwise.unary(this, "sigmoid", UnaryFunction.SIGMOID, 0f, x);
    }

    /**
     * GELU, tanh approximation (PyTorch's {@code gelu(approximate='tanh')}).
     *
     * @param x a FLOAT32 tensor on this device
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor gelu(Tensor x) {
        return Elementwise.unary(this, "gelu", UnaryFunction.GELU, 0f, x);
    }

    /**
     * {@code max(x, 0)}; the gradient at 0 is 0, as the ReLU layer's.
     *
     * @param x a FLOAT32 tensor on this device (NaN as {@link io.tessera.spi.Kernels#relu})
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor relu(Tensor x) {
        return Elementwise.relu(this, x);
    }

    // ---- ops: linear algebra ----------------------------------------------------------------------------------

    /**
     * Matrix product: {@code [m, k] x [k, n]}, {@code [B, m, k] x [k, n]} or batched {@code [B, m, k] x [B, k, n]}.
     *
     * @param a the left FLOAT32 operand
     * @param b the right FLOAT32 operand
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     * @throws IllegalArgumentException if the ranks or inner dimensions do not match
     */
    public Tensor matmul(Tensor a, Tensor b) {
        return LinearAlgebra.matmul(this, a, b);
    }

    /**
     * {@code x W^T + b} ({@code F.linear}): {@code x: [N, in]}, {@code weight: [out, in]}, {@code bias: [out]} or null.
     *
     * @param x the input {@code [N, in]}
     * @param weight the weight {@code [out, in]}
     * @param bias the bias {@code [out]}, or null for none
     * @return the result {@code [N, out]}, owned by the graph (valid until {@link #reset()})
     */
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return LinearAlgebra.linear(this, x, weight, bias);
    }

    /**
     * Swaps the last two axes of a 2-D or 3-D tensor (a copy).
     *
     * @param x a 2-D or 3-D FLOAT32 tensor
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor transpose(Tensor x) {
        return Shapes.transpose(this, x);
    }

    // ---- ops: shapes ------------------------------------------------------------------------------------------

    /**
     * The same values in another shape of the same size (a view; PyTorch's {@code view}/{@code reshape}).
     *
     * @param x a FLOAT32 tensor
     * @param shape the new shape, of {@code x}'s size
     * @return a view sharing {@code x}'s memory, valid while {@code x} is (and, for an op's result, until
     *         {@link #reset()})
     */
    public Tensor reshape(Tensor x, Shape shape) {
        return Shapes.reshape(this, x, shape);
    }

    /**
     * Joins tensors along {@code axis}; all other dimensions must agree.
     *
     * @param tensors the FLOAT32 tensors joined, at least one
     * @param axis the axis joined along (negative counts from the end)
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor concat(List<Tensor> tensors, int axis) {
        return Shapes.concat(this, tensors, axis);
    }

    /**
     * Positions {@code [start, end)} of {@code axis} (a copy). Negative axes count from the end.
     *
     * @param x a FLOAT32 tensor
     * @param axis the axis sliced
     * @param start the first position kept
     * @param end one past the last position kept
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor slice(Tensor x, int axis, int start, int end) {
        return Shapes.slice(this, x, axis, start, end);
    }

    /**
     * Rows of {@code table} along axis 0 picked by the 1-D INT32 {@code indices} (embeddings; PyTorch's
     * {@code index_select(0, ...)}).
     *
     * @param table the FLOAT32 rows {@code [V, D]}
     * @param indices the rows picked, INT32 {@code [N]}, each in {@code [0, V)} (as
     *                {@link io.tessera.spi.Kernels#gatherRows})
     * @return the rows {@code [N, D]}, owned by the graph (valid until {@link #reset()})
     */
    public Tensor indexSelect(Tensor table, Tensor indices) {
        return Shapes.indexSelect(this, table, indices);
    }

    /**
     * Same as {@link #indexSelect}: PyTorch's {@code gather} along axis 0 for whole rows.
     *
     * @param table the FLOAT32 rows {@code [V, D]}
     * @param indices the rows picked, INT32 {@code [N]}
     * @return the rows {@code [N, D]}, owned by the graph (valid until {@link #reset()})
     */
    public Tensor gather(Tensor table, Tensor indices) {
        return Shapes.indexSelect(this, table, indices);
    }

    // ---- ops: reductions --------------------------------------------------------------------------------------

    /**
     * The sum of all elements, a scalar.
     *
     * @param x a FLOAT32 tensor
     * @return the sum, shape {@code []}, owned by the graph (valid until {@link #reset()})
     */
    public Tensor sum(Tensor x) {
        return Reductions.sum(this, x, Axis.all(x.shape()), Shape.of());
    }

    /**
     * The sum along {@code axis} (negative counts from the end), which is removed, or kept as 1 with {@code keepDim}.
     *
     * @param x a FLOAT32 tensor
     * @param axis the axis summed
     * @param keepDim true to keep the axis as size 1
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor sum(Tensor x, int axis, boolean keepDim) {
        Axis a = Axis.of("sum", x.shape(), axis);
        return Reductions.sum(this, x, a, keepDim ? a.kept() : a.reduced());
    }

    /**
     * The mean of all elements, a scalar.
     *
     * @param x a FLOAT32 tensor
     * @return the mean, shape {@code []}, owned by the graph (valid until {@link #reset()})
     */
    public Tensor mean(Tensor x) {
        return mul(sum(x), 1f / x.size());
    }

    /**
     * The mean along {@code axis}.
     *
     * @param x a FLOAT32 tensor
     * @param axis the axis averaged (negative counts from the end)
     * @param keepDim true to keep the axis as size 1
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor mean(Tensor x, int axis, boolean keepDim) {
        Axis a = Axis.of("mean", x.shape(), axis);
        return mul(sum(x, axis, keepDim), 1f / a.n());
    }

    /**
     * The largest element, a scalar (the gradient goes to the first largest).
     *
     * @param x a FLOAT32 tensor; a NaN in it is the result (as {@link io.tessera.spi.Kernels#reduceMax})
     * @return the maximum, shape {@code []}, owned by the graph (valid until {@link #reset()})
     */
    public Tensor max(Tensor x) {
        return Reductions.max(this, x, Axis.all(x.shape()), Shape.of());
    }

    /**
     * The maximum along {@code axis}; the gradient goes to the first largest of each.
     *
     * @param x a FLOAT32 tensor
     * @param axis the axis reduced (negative counts from the end)
     * @param keepDim true to keep the axis as size 1
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor max(Tensor x, int axis, boolean keepDim) {
        Axis a = Axis.of("max", x.shape(), axis);
        return Reductions.max(this, x, a, keepDim ? a.kept() : a.reduced());
    }

    /**
     * Softmax over the last axis, computed stably.
     *
     * @param x a FLOAT32 tensor
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor softmax(Tensor x) {
        return Reductions.softmax(this, x);
    }

    /**
     * Log-softmax over the last axis, computed stably.
     *
     * @param x a FLOAT32 tensor
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor logSoftmax(Tensor x) {
        return Reductions.logSoftmax(this, x);
    }

    // ---- ops: losses and layers -------------------------------------------------------------------------------

    /**
     * Mean softmax cross-entropy of {@code logits: [N, C]} against INT32 {@code labels: [N]}: a scalar (the fused
     * kernel).
     *
     * @param logits FLOAT32 {@code [N, C]}
     * @param labels INT32 {@code [N]}, each in {@code [0, C)}; out-of-range labels behave as in
     *               {@link io.tessera.spi.Kernels#softmaxCrossEntropy}
     * @return the mean loss, shape {@code []}, owned by the graph (valid until {@link #reset()})
     */
    public Tensor crossEntropy(Tensor logits, Tensor labels) {
        return NeuralOps.crossEntropy(this, logits, labels);
    }

    /**
     * The mean of {@code (a - b)^2}, a scalar.
     *
     * @param a the prediction
     * @param b the target, broadcast against {@code a}
     * @return the mean squared error, shape {@code []}, owned by the graph (valid until {@link #reset()})
     */
    public Tensor mseLoss(Tensor a, Tensor b) {
        Tensor d = sub(a, b);
        return mean(mul(d, d));
    }

    /**
     * Inverted dropout with probability {@code p} in training mode (the Dropout layer's masks); the identity otherwise.
     *
     * @param x a FLOAT32 tensor
     * @param p the drop probability, in {@code [0, 1)}
     * @return the result, owned by the graph (valid until {@link #reset()}); {@code x} itself in evaluation mode or
     *         when {@code p == 0}
     * @throws IllegalArgumentException if {@code p} is outside {@code [0, 1)}
     */
    public Tensor dropout(Tensor x, float p) {
        return NeuralOps.dropout(this, x, p);
    }

    /**
     * 2-D convolution as the Conv2d layer: {@code x: [N, C, H, W]}, {@code weight: [O, C, kH, kW]}, {@code bias: [O]}
     * or null.
     *
     * @param x the images {@code [N, C, H, W]}
     * @param weight the filters {@code [O, C, kH, kW]}
     * @param bias the bias {@code [O]}, or null
     * @param window the kernel size, stride and padding
     * @return the output {@code [N, O, outH, outW]}, owned by the graph (valid until {@link #reset()})
     */
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d window) {
        return NeuralOps.conv2d(this, x, weight, bias, window);
    }

    /**
     * 2-D max pooling as the MaxPool2d layer.
     *
     * @param x the images {@code [N, C, H, W]}
     * @param window the kernel size, stride and padding
     * @return the output {@code [N, C, outH, outW]}, owned by the graph (valid until {@link #reset()})
     */
    public Tensor maxPool2d(Tensor x, Window2d window) {
        return NeuralOps.maxPool2d(this, x, window);
    }

    /**
     * Batch normalisation over axis 1 as the BatchNorm layers: batch statistics in training mode (the running ones
     * updated in place), the running ones otherwise.
     *
     * @param x the input {@code [N, C, ...]}
     * @param gamma the scale {@code [C]}
     * @param beta the shift {@code [C]}
     * @param runningMean the running mean {@code [C]}, updated in place in training mode
     * @param runningVar the running variance {@code [C]}, updated in place in training mode
     * @param momentum the running statistics' update factor
     * @param eps added to the variance
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     */
    public Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float momentum,
            float eps) {
        return NeuralOps.batchNorm(this, x, gamma, beta, runningMean, runningVar, momentum, eps);
    }

    /**
     * Runs a shipped layer (Linear, Conv2d, BatchNorm, ...) as one node of the graph: its fused kernels forward, its
     * hand-written backward in the backward pass. A layer enters a graph at most once per step. The result is a copy
     * owned by the graph.
     *
     * @param layer a shipped layer on this graph's device
     * @param x its input
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     * @throws IllegalStateException if the layer already entered the graph in this step
     */
    public Tensor layer(Layer layer, Tensor x) {
        return NeuralOps.layer(this, layer, x);
    }

    /**
     * A constant tensor owned by the graph (no gradient).
     *
     * @param values the elements, row-major; copied
     * @param shape the shape, of {@code values.length} elements
     * @return the result, owned by the graph: valid until {@link #reset()}, never closed by the caller
     * @throws IllegalArgumentException if the sizes differ
     */
    public Tensor constant(float[] values, Shape shape) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("constant: " + values.length + " values for shape " + shape);
        }
        Tensor t = output(shape);
        kernels.copyFromHost(values, 0, t, 0, values.length);
        return t;
    }

    /**
     * A one-element constant.
     *
     * @param value the element
     * @return a tensor of shape {@code []}, owned by the graph (valid until {@link #reset()})
     */
    public Tensor scalar(float value) {
        Tensor t = output(Shape.of());
        kernels.fill(t, value);
        return t;
    }

    // ---- what the ops use -------------------------------------------------------------------------------------

    Kernels kernels() {
        return kernels;
    }

    /** A float result buffer of {@code shape}, owned by the graph. */
    Tensor output(Shape shape) {
        checkOpen();
        return pool.take(shape, DType.FLOAT32);
    }

    Tensor outputInts(Shape shape) {
        checkOpen();
        return pool.take(shape, DType.INT32);
    }

    /** Whether an op on {@code inputs} must be recorded. */
    boolean tracks(Tensor... inputs) {
        if (!recording) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && vars.containsKey(t)) {
                return true;
            }
        }
        return false;
    }

    /** Records an op whose output requires a gradient; {@code saved} are checked for in-place changes at backward. */
    void record(String op, Tensor output, Tensor[] inputs, Tensor[] saved, Backward backward) {
        Node node = new Node(op, output, inputs, saved, backward);
        nodes.add(node);
        vars.put(output, new Var(node, null, false));
    }

    /** Records a shipped layer's node: needed whenever a backward pass runs, for its own parameters' sake. */
    void recordLayer(String op, Tensor output, Tensor input, Backward backward) {
        record(op, output, new Tensor[] {input}, new Tensor[0], backward);
        nodes.get(nodes.size() - 1).ownsParameters = true;
    }

    /** Whether the running backward pass adds to the parameters' gradients (false: overwrites them). */
    boolean accumulating() {
        return accumulating;
    }

    /** Fails, naming the op and both devices, when {@code t} is not on this graph's device, or is closed. */
    void checkDevice(String op, String name, Tensor t) {
        if (t == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": " + name + " (" + t.describe() + ") is closed");
        }
        if (t.device() != device) {
            throw new IllegalArgumentException(op + ": " + name + " is on device " + t.device().id() + " but the graph runs on "
                    + device.id() + "; move it with tensor.to(device) first");
        }
    }

    /** {@link #checkDevice} plus FLOAT32. */
    void checkFloat(String op, String name, Tensor t) {
        checkDevice(op, name, t);
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": " + name + " is " + t.describe() + " but must be FLOAT32");
        }
    }

    /** Two operands of one op: same device and dtype, named in the error. */
    void checkPair(String op, Tensor a, Tensor b) {
        checkDevice(op, "a", a);
        checkDevice(op, "b", b);
        if (a.dtype() != b.dtype() || a.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": the operands are " + a.describe() + " and " + b.describe()
                    + "; both must be FLOAT32");
        }
    }

    long nextDropoutOffset(long count) {
        long at = dropoutOffset;
        dropoutOffset += count;
        return at;
    }

    long dropoutSeed() {
        return dropoutSeed;
    }

    /** Enters a shipped layer once per step (its saved state holds one forward). */
    void enterLayer(Layer layer) {
        if (layersThisStep.put(layer, Boolean.TRUE) != null) {
            throw new IllegalStateException("layer " + layer.spec().type() + " entered the graph twice in one step; a shipped"
                    + " layer keeps the state of one forward pass: use two layers, or write the shared part with ops");
        }
    }
}
