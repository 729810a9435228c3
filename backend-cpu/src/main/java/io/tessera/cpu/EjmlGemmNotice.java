package io.tessera.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The EJML GEMM of a JVM started without {@code --add-modules jdk.incubator.vector}, saying so once, on its first
 * product: the user's own {@code java} command otherwise runs the CPU backend several times slower without a word. It
 * speaks on first use, not at load, so a machine whose default device is a GPU hears nothing about the CPU.
 */
final class EjmlGemmNotice implements Gemm {
    static final String MESSAGE = "cpu backend: the JDK Vector API is not enabled, so matrix products run on EJML, about"
            + " 3x slower; start java with --add-modules jdk.incubator.vector (./tessera does), or pass"
            + " -Dtessera.cpu.vector=false to choose EJML and silence this";

    private final Gemm gemm;
    private final Consumer<String> log;
    private final AtomicBoolean told = new AtomicBoolean();

    EjmlGemmNotice(Gemm gemm, Consumer<String> log) {
        this.gemm = gemm;
        this.log = log;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
        tellOnce();
        gemm.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    public void serial(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
                       float beta, float[] c, int cOff) {
        tellOnce();
        gemm.serial(transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
    }

    @Override
    public String name() {
        return gemm.name();
    }

    private void tellOnce() {
        if (!told.get() && told.compareAndSet(false, true)) {
            log.accept(MESSAGE);
        }
    }
}
