package io.tessera.opencl.aparapi;

import io.tessera.Device;
import io.tessera.tck.ConformanceKit;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole conformance kit against {@code opencl-aparapi:0}, found through {@link io.tessera.Devices} as a user
 * would. Skipped with the reason printed where no OpenCL platform exists, unless {@code TESSERA_REQUIRE_OPENCL=1}.
 */
class AparapiConformanceTest extends ConformanceKit {

    @BeforeAll
    static void needsOpenCl() {
        OpenCl.require();
    }

    @Override
    protected Device device() {
        return OpenCl.device();
    }
}
