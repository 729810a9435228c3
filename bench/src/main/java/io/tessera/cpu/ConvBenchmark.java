package io.tessera.cpu;

import io.tessera.spi.Window2d;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The CPU backend's convolution passes on the MNIST example CNN's layers at batch 64 ({@code conv2}: 32 -> 64 channels,
 * 3x3, 26x26 -> 24x24; {@code conv1}: 1 -> 32, 28x28 -> 26x26): forward, input gradient and weight (+ bias) gradient,
 * on both GEMM paths and 1 or 2 threads. Each pass is {@code 2 N O C kH kW outH outW} floating-point operations
 * ({@link #flops()}); GFLOP/s = flops / time per op. Lives in the backend's package to reach {@link CnnKernels}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class ConvBenchmark {

    @Param({"conv2", "conv1"})
    public String layer;

    @Param({"vector", "ejml"})
    public String gemm;

    @Param({"2", "1"})
    public int threads;

    private static final int N = 64;
    private final Window2d window = Window2d.square(3, 1, 0);
    private CnnKernels cnn;
    private int c;
    private int o;
    private int h;
    private float[] input;
    private float[] weight;
    private float[] bias;
    private float[] output;
    private float[] gradInput;
    private float[] gradWeight;
    private float[] gradBias;

    @Setup
    public void setUp() {
        boolean second = layer.equals("conv2");
        c = second ? 32 : 1;
        o = second ? 64 : 32;
        h = second ? 26 : 28;
        Gemm impl = gemm.equals("vector") ? new VectorGemm(1) : new EjmlGemm(false);
        cnn = new CnnKernels(impl, impl instanceof VectorGemm ? new VectorRowKernels() : RowKernels.SCALAR, new CpuThreads(threads));
        SplittableRandom random = new SplittableRandom(42);
        int oh = window.outHeight(h);
        input = fill(random, N * c * h * h);
        weight = fill(random, o * c * 9);
        bias = fill(random, o);
        output = fill(random, N * o * oh * oh);
        gradInput = new float[input.length];
        gradWeight = new float[weight.length];
        gradBias = new float[o];
    }

    private static float[] fill(SplittableRandom random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Floating-point operations per pass. */
    public double flops() {
        int oh = window.outHeight(h);
        return 2.0 * N * o * c * 9 * oh * oh;
    }

    @Benchmark
    public float[] forward() {
        cnn.conv2d(input, N, c, h, h, weight, bias, o, output, window);
        return output;
    }

    @Benchmark
    public float[] backwardInput() {
        cnn.conv2dBackwardInput(output, weight, o, gradInput, N, c, h, h, window);
        return gradInput;
    }

    @Benchmark
    public float[] backwardWeight() {
        cnn.conv2dBackwardWeight(input, N, c, h, h, output, o, gradWeight, gradBias, window);
        return gradWeight;
    }
}
