package io.tessera.autograd;

import io.tessera.Device;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The custom loss of docs/autograd.md, label smoothing written with ops, against its closed form. */
class LabelSmoothingExampleTest {

    /** The example as the docs show it. */
    static Tensor labelSmoothing(Graph g, Tensor logits, Tensor labels, float epsilon) {
        Tensor nll = g.crossEntropy(logits, labels);
        Tensor uniform = g.neg(g.mean(g.logSoftmax(logits)));
        return g.add(g.mul(nll, 1 - epsilon), g.mul(uniform, epsilon));
    }

    @Test
    void valueAndGradientMatchTheClosedForm() {
        Device device = new ReferenceDevice("smoothing");
        int n = 3;
        int c = 4;
        float eps = 0.1f;
        float[] logits = {1, 2, 0.5f, -1, 0, 0, 3, 1, -2, 1, 1, 0.25f};
        int[] labels = {1, 2, 0};
        double expected = 0;
        double[] grad = new double[n * c];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, logits[i * c + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(logits[i * c + j] - max);
            }
            for (int j = 0; j < c; j++) {
                double logp = logits[i * c + j] - max - Math.log(sum);
                double target = (j == labels[i] ? 1 - eps : 0) + eps / c;
                expected -= target * logp / n;
                grad[i * c + j] = (Math.exp(logp) - target) / n;
            }
        }
        try (Scope s = device.scope(); Graph g = new Graph(device)) {
            Tensor x = g.requireGrad(s.of(logits, Shape.of(n, c)));
            Tensor loss = labelSmoothing(g, x, s.ofInts(labels, Shape.of(n)), eps);
            assertEquals(expected, loss.item(), 1e-6);
            g.backward(loss);
            float[] got = g.grad(x).toFloatArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(grad[i], got[i], 1e-6, "gradient " + i);
            }
        }
    }
}
