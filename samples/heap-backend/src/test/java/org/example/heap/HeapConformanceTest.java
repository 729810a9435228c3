package org.example.heap;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.tck.ConformanceKit;

/** Every class of Tessera's conformance kit against {@code heap:0}, found through {@link Devices} as users find it. */
class HeapConformanceTest extends ConformanceKit {

    @Override
    protected Device device() {
        return Devices.get("heap:0");
    }
}
