package io.tessera.opencl.jocl.tck;

import io.tessera.Device;
import io.tessera.tck.PoolingConformanceTest;
import org.junit.jupiter.api.BeforeAll;

/** The conformance kit's {@link PoolingConformanceTest} on opencl-jocl:0; skipped, with the reason, where OpenCL is absent. */
class JoclPoolingConformanceTest extends PoolingConformanceTest {
    @BeforeAll
    static void requireOpenCl() {
        TckDevice.require();
    }

    @Override
    protected Device device() {
        return TckDevice.get();
    }
}
