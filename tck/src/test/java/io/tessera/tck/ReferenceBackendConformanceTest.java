package io.tessera.tck;

import io.tessera.Device;
import io.tessera.reference.ReferenceDevice;

/** The whole kit against the plain-Java reference device: the kit's own proof that it passes where it should. */
class ReferenceBackendConformanceTest extends ConformanceKit {
    private static final Device DEVICE = new ReferenceDevice("tck-reference:0");

    @Override
    protected Device device() {
        return DEVICE;
    }
}
