package io.tessera.autograd;

import io.tessera.DType;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.nn.Layer;
import io.tessera.nn.Parameter;
import io.tessera.spi.BinaryFunction;
import io.tessera.spi.Kernels;
import io.tessera.spi.Window2d;

import java.util.List;

/** The network ops over the fused kernels (dropout, convolution, pooling, batch norm, losses) and shipped layers. */
final class NeuralOps {
    private NeuralOps() {
    }

    static Tensor dropout(Graph g, Tensor x, float p) {
        g.checkFloat("dropout", "x", x);
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        }
        if (!g.isTraining() || p == 0f) {
            return x;
        }
        Kernels k = g.kernels();
        Tensor mask = g.output(x.shape());
        k.dropoutMask(mask, p, g.dropoutSeed(), g.nextDropoutOffset(x.size()));
        Tensor y = g.output(x.shape());
        k.binary(BinaryFunction.MUL, x, 1, mask, 1, y);
        if (g.tracks(x)) {
            g.record("dropout", y, new Tensor[] {x}, new Tensor[0], (gy, grads) -> {
                Tensor gx = grads.scratch(x.shape());
                k.binary(BinaryFunction.MUL, gy, 1, mask, 1, gx);
                grads.add(0, gx, true);
            });
        }
        return y;
    }

    static Tensor conv2d(Graph g, Tensor x, Tensor weight, Tensor bias, Window2d window) {
        g.checkPair("conv2d", x, weight);
        if (bias != null) {
            g.checkFloat("conv2d", "bias", bias);
        }
        if (x.shape().rank() != 4 || weight.shape().rank() != 4) {
            throw new IllegalArgumentException("conv2d: needs input [N, C, H, W] and weight [O, C, kH, kW], got " + x.shape()
                    + " and " + weight.shape());
        }
        int outH = window.outHeight(x.shape().dim(2));
        int outW = window.outWidth(x.shape().dim(3));
        Kernels k = g.kernels();
        Tensor y = g.output(Shape.of(x.shape().dim(0), weight.shape().dim(0), Math.max(outH, 1), Math.max(outW, 1)));
        k.conv2d(x, weight, bias, y, window);
        Tensor[] inputs = bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias};
        if (g.tracks(inputs)) {
            g.record("conv2d", y, inputs, new Tensor[] {x, weight}, (gy, grads) -> {
                if (grads.needs(0)) {
                    Tensor gx = grads.scratch(x.shape());
                    k.conv2dBackwardInput(gy, weight, gx, window);
                    grads.add(0, gx, true);
                }
                boolean biasGrad = bias != null && grads.needs(2);
                if (grads.needs(1) || biasGrad) {
                    Tensor gw = grads.target(1);
                    Tensor gb = bias != null ? grads.target(2) : null;
                    k.conv2dBackwardWeight(x, gy, gw, gb, window);
                    grads.add(1, gw, true);
                    if (biasGrad) {
                        grads.add(2, gb, true);
                    }
                }
            });
        }
        return y;
    }

    static Tensor maxPool2d(Graph g, Tensor x, Window2d window) {
        g.checkFloat("maxPool2d", "x", x);
        if (x.shape().rank() != 4) {
            throw new IllegalArgumentException("maxPool2d: needs input [N, C, H, W], got " + x.shape());
        }
        Shape out = Shape.of(x.shape().dim(0), x.shape().dim(1), Math.max(window.outHeight(x.shape().dim(2)), 1),
                Math.max(window.outWidth(x.shape().dim(3)), 1));
        Kernels k = g.kernels();
        Tensor y = g.output(out);
        Tensor indices = g.outputInts(out);
        k.maxPool2d(x, y, indices, window);
        if (g.tracks(x)) {
            g.record("maxPool2d", y, new Tensor[] {x}, new Tensor[0], (gy, grads) -> {
                Tensor gx = grads.scratch(x.shape());
                k.maxPool2dBackward(gy, indices, gx, window);
                grads.add(0, gx, true);
            });
        }
        return y;
    }

    static Tensor batchNorm(Graph g, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            float momentum, float eps) {
        g.checkFloat("batchNorm", "x", x);
        Kernels k = g.kernels();
        Tensor y = g.output(x.shape());
        if (!g.isTraining()) {
            k.batchNormEval(x, gamma, beta, runningMean, runningVar, eps, y);
            if (g.tracks(x, gamma, beta)) {
                throw new IllegalStateException("batchNorm in evaluation mode is not differentiable here: evaluate under"
                        + " noGrad(), or train with setTraining(true)");
            }
            return y;
        }
        Shape channels = gamma.shape();
        Tensor saveMean = g.output(channels);
        Tensor saveInvStd = g.output(channels);
        k.batchNormTrain(x, gamma, beta, runningMean, runningVar, momentum, eps, y, saveMean, saveInvStd);
        runningMean.markModified();
        runningVar.markModified();
        if (g.tracks(x, gamma, beta)) {
            g.record("batchNorm", y, new Tensor[] {x, gamma, beta}, new Tensor[] {x, gamma}, (gy, grads) -> {
                Tensor gx = grads.scratch(x.shape());
                Tensor gg = grads.target(1);
                Tensor gb = grads.target(2);
                k.batchNormBackward(x, gy, gamma, saveMean, saveInvStd, gx, gg, gb);
                grads.add(0, gx, true);
                grads.add(1, gg, true);
                grads.add(2, gb, true);
            });
        }
        return y;
    }

    static Tensor crossEntropy(Graph g, Tensor logits, Tensor labels) {
        g.checkFloat("crossEntropy", "logits", logits);
        g.checkDevice("crossEntropy", "labels", labels);
        if (labels.dtype() != DType.INT32) {
            throw new IllegalArgumentException("crossEntropy: labels must be INT32, got " + labels.describe());
        }
        Kernels k = g.kernels();
        Tensor loss = g.output(Shape.of());
        k.softmaxCrossEntropy(logits, labels, loss);
        if (g.tracks(logits)) {
            g.record("crossEntropy", loss, new Tensor[] {logits}, new Tensor[] {logits, labels}, (gy, grads) -> {
                Tensor gl = grads.scratch(logits.shape());
                k.softmaxCrossEntropyBackward(logits, labels, gl);
                k.binary(BinaryFunction.MUL, gl, 1, gy, 1, gl);
                grads.add(0, gl, true);
            });
        }
        return loss;
    }

    /**
     * A shipped layer as one node: its own fused forward, and its hand-written backward in the backward pass; its
     * parameters' gradients are added to what they held, as the graph's are.
     */
    static Tensor layer(Graph g, Layer layer, Tensor x) {
        g.checkDevice("layer", "input", x);
        List<Parameter> params = layer.parameters();
        boolean record = g.isRecording() && (g.tracks(x) || !params.isEmpty());
        if (record) {
            g.enterLayer(layer);
        }
        Tensor out = layer.forward(x);
        Kernels k = g.kernels();
        Tensor y = g.output(out.shape());
        k.copy(out, y);
        if (record) {
            g.recordLayer(layer.spec().type(), y, x, (gy, grads) -> {
                Tensor[] before = new Tensor[params.size()];
                if (g.accumulating()) {
                    for (int i = 0; i < before.length; i++) {
                        before[i] = grads.scratch(params.get(i).shape());
                        k.copy(params.get(i).grad(), before[i]);
                    }
                }
                Tensor gx = layer.backward(gy, grads.needs(0));
                for (int i = 0; i < before.length; i++) {
                    if (before[i] != null) {
                        k.axpy(1f, before[i], params.get(i).grad());
                    }
                }
                if (grads.needs(0) && gx != null) {
                    grads.add(0, gx, false);
                }
            });
        }
        return y;
    }
}
