package io.tessera.opencl.jocl.tck;

import io.tessera.Device;
import io.tessera.tck.CnnGradientConformanceTest;
import org.junit.jupiter.api.BeforeAll;

/** The conformance kit's {@link CnnGradientConformanceTest} on opencl-jocl:0; skipped, with the reason, where OpenCL is absent. */
class JoclCnnGradientConformanceTest extends CnnGradientConformanceTest {
    @BeforeAll
    static void requireOpenCl() {
        TckDevice.require();
    }

    @Override
    protected Device device() {
        return TckDevice.get();
    }
}
