package io.tessera.opencl.jocl;

import io.tessera.Device;

/** Test access to device variants that users do not get: opencl-jocl:0 running the other SGEMM kernel. */
public final class TestDevices {
    private TestDevices() {
    }

    /**
     * A second view of opencl-jocl:0 (same context, queue and pool) whose kernels run the given SGEMM variant; skipped
     * (or failed under TESSERA_REQUIRE_OPENCL=1) where OpenCL is unavailable.
     */
    public static Device withGemm(GemmVariant variant) {
        JoclDevice d = OpenCl.device();
        return new JoclDevice(d.id(), d.context(), variant);
    }
}
