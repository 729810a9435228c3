package io.tessera.tck;

import io.tessera.Device;
import io.tessera.spi.Kernels;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What every conformance test shares: the device under test, a second device, seeded inputs and the leak check. The
 * number of live allocations on both devices is recorded before each test and must be the same after it, so a test
 * (and the backend under it) must free everything it allocates.
 */
public abstract class ConformanceTestBase {
    private final ReferenceDevice other = new ReferenceDevice("tck-other");
    private long liveBefore;
    private long otherLiveBefore;

    /**
     * The device under test. Called many times per test; may return the same {@link Device} every time (a field set
     * once, or {@code Devices.get("my-backend:0")}). The kit never closes it or its backend.
     */
    protected abstract Device device();

    /** A second device, a plain-Java {@link ReferenceDevice}, for cross-device tests. */
    protected final Device otherDevice() {
        return other;
    }

    /** {@code device().kernels()}: the validated kernels, through which every kit call goes. */
    protected final Kernels kernels() {
        return device().kernels();
    }

    @BeforeEach
    protected final void recordLiveAllocations() {
        liveBefore = device().liveAllocations();
        otherLiveBefore = other.liveAllocations();
    }

    @AfterEach
    protected final void checkNoLeaks() {
        device().synchronize();
        assertNoLeak(device(), liveBefore);
        assertNoLeak(other, otherLiveBefore);
    }

    private static void assertNoLeak(Device d, long before) {
        long after = d.liveAllocations();
        assertEquals(before, after, () -> "device " + d.id() + " leaked " + (after - before)
                + " allocation(s) in this test: liveAllocations() was " + before + " before and " + after + " after");
    }

    /** A generator for one test case, seeded from its parameters so that a failure repeats. */
    protected static SplittableRandom random(Object... caseKey) {
        return new SplittableRandom(0x7e55e7aL + java.util.Arrays.deepHashCode(caseKey));
    }

    /** {@code n} floats uniform in {@code [lo, hi)}. */
    protected static float[] uniform(SplittableRandom random, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(lo, hi);
        }
        return v;
    }

    /** {@code n} ints uniform in {@code [lo, hi)}. */
    protected static int[] ints(SplittableRandom random, int n, int lo, int hi) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(lo, hi);
        }
        return v;
    }
}
