package io.tessera.cpu;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.tck.ConformanceKit;

/**
 * The whole conformance kit against the {@code cpu} device, found through {@link Devices} as a user would. The build
 * runs it twice: on the Vector API path and, in the {@code ejml-conformance} execution, on the EJML path.
 */
class CpuConformanceTest extends ConformanceKit {

    @Override
    protected Device device() {
        return Devices.get("cpu");
    }
}
