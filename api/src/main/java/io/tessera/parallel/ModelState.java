package io.tessera.parallel;

import io.tessera.nn.Buffer;
import io.tessera.nn.Layer;
import io.tessera.nn.Parameter;
import io.tessera.optim.Optimizer;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host copy of everything a replica needs to continue training exactly where another left off: the model's
 * parameters, buffers and counters, and the optimizer's state tensors and counters, in their stable orders. This is
 * what a data-parallel driver holds between epochs and ships to its workers. Immutable once captured (the arrays are
 * not exposed); {@link Serializable}, so it travels in a Spark broadcast or task result.
 */
public final class ModelState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[][] parameters;
    private final float[][] buffers;
    private final float[][] slots;
    private final LinkedHashMap<String, Long> layerCounters;
    private final LinkedHashMap<String, Long> optimizerCounters;

    private ModelState(float[][] parameters, float[][] buffers, float[][] slots, Map<String, Long> layerCounters,
                       Map<String, Long> optimizerCounters) {
        this.parameters = parameters;
        this.buffers = buffers;
        this.slots = slots;
        this.layerCounters = new LinkedHashMap<>(layerCounters);
        this.optimizerCounters = new LinkedHashMap<>(optimizerCounters);
    }

    /**
     * Copies the state of {@code model} and {@code optimizer} to the host (this waits for the device).
     *
     * @param model the model read; not changed
     * @param optimizer the optimizer read; not changed
     * @return the state, on the host
     */
    public static ModelState capture(Layer model, Optimizer optimizer) {
        List<Parameter> params = model.parameters();
        float[][] p = new float[params.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = params.get(i).value().toFloatArray();
        }
        return new ModelState(p, values(model.buffers()), values(optimizer.stateTensors()), model.counters(), optimizer.counters());
    }

    private static float[][] values(List<Buffer> buffers) {
        float[][] v = new float[buffers.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = buffers.get(i).value().toFloatArray();
        }
        return v;
    }

    /**
     * Overwrites the state of {@code model} and {@code optimizer}, which must be built as the captured ones were.
     *
     * @param model the model overwritten
     * @param optimizer the optimizer overwritten
     * @throws IllegalArgumentException naming the first tensor or counter that does not match
     */
    public void applyTo(Layer model, Optimizer optimizer) {
        List<Parameter> params = model.parameters();
        requireCount("parameters", params.size(), parameters.length, model);
        List<Buffer> modelBuffers = model.buffers();
        requireCount("buffers", modelBuffers.size(), buffers.length, model);
        List<Buffer> state = optimizer.stateTensors();
        requireCount("optimizer state tensors", state.size(), slots.length, optimizer);
        for (int i = 0; i < parameters.length; i++) {
            params.get(i).load(parameters[i]);
        }
        for (int i = 0; i < buffers.length; i++) {
            modelBuffers.get(i).load(buffers[i]);
        }
        for (int i = 0; i < slots.length; i++) {
            state.get(i).load(slots[i]);
        }
        layerCounters.forEach(model::setCounter);
        optimizerCounters.forEach(optimizer::setCounter);
    }

    private static void requireCount(String what, int actual, int captured, Object owner) {
        if (actual != captured) {
            throw new IllegalArgumentException("the state holds " + captured + " " + what + " but " + owner + " has " + actual
                    + ": the replica was not built as the captured model was");
        }
    }

    /**
     * The parameter values, in {@link Layer#parameters()} order (copies).
     *
     * @return new arrays, one per parameter
     */
    public float[][] parameters() {
        float[][] copy = new float[parameters.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = parameters[i].clone();
        }
        return copy;
    }

    /**
     * The number of floats held: parameters, buffers and optimizer state.
     *
     * @return the count
     */
    public long floats() {
        long n = 0;
        for (float[][] group : new float[][][] {parameters, buffers, slots}) {
            for (float[] a : group) {
                n += a.length;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "ModelState[" + parameters.length + " parameters, " + buffers.length + " buffers, " + slots.length
                + " optimizer tensors, " + floats() + " floats]";
    }
}
