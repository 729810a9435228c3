package io.tessera.opencl.jocl;

import io.tessera.DeviceKind;

/** Which SGEMM kernel a device runs; chosen from {@code CL_DEVICE_TYPE}. */
public enum GemmVariant {
    /** {@code gemm_cpu.cl}: 4 x 16 register blocks of float16 FMAs, no local memory; for CPU devices such as PoCL. */
    CPU,
    /** {@code gemm_gpu.cl}: 64 x 64 local-memory tiles, 4 x 4 register blocks per work item; for GPUs and accelerators. */
    GPU;

    /** The variant for a device of this kind. */
    static GemmVariant forKind(DeviceKind kind) {
        return kind == DeviceKind.CPU ? CPU : GPU;
    }
}
