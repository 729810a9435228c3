package io.tessera.opencl.jocl.tck;

import io.tessera.Device;
import io.tessera.tck.ElementwiseConformanceTest;
import org.junit.jupiter.api.BeforeAll;

/** The conformance kit's {@link ElementwiseConformanceTest} on opencl-jocl:0; skipped, with the reason, where OpenCL is absent. */
class JoclElementwiseConformanceTest extends ElementwiseConformanceTest {
    @BeforeAll
    static void requireOpenCl() {
        TckDevice.require();
    }

    @Override
    protected Device device() {
        return TckDevice.get();
    }
}
