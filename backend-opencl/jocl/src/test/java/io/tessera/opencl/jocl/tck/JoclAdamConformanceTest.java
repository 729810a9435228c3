package io.tessera.opencl.jocl.tck;

import io.tessera.Device;
import io.tessera.tck.AdamConformanceTest;
import org.junit.jupiter.api.BeforeAll;

/** The conformance kit's {@link AdamConformanceTest} on opencl-jocl:0; skipped, with the reason, where OpenCL is absent. */
class JoclAdamConformanceTest extends AdamConformanceTest {
    @BeforeAll
    static void requireOpenCl() {
        TckDevice.require();
    }

    @Override
    protected Device device() {
        return TckDevice.get();
    }
}
