package io.tessera.opencl.jocl;

import io.tessera.DeviceKind;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * What OpenCL reports about one device, read once during {@link JoclBackendProvider#load()}.
 *
 * @param platform        the platform handle
 * @param device          the device handle
 * @param kind            GPU, ACCELERATOR or CPU, from {@code CL_DEVICE_TYPE}
 * @param name            {@code CL_DEVICE_NAME}, trimmed
 * @param vendor          {@code CL_DEVICE_VENDOR}, trimmed
 * @param platformName    {@code CL_PLATFORM_NAME}, trimmed
 * @param version         {@code CL_DEVICE_VERSION}, e.g. {@code OpenCL 3.0 PoCL ...}
 * @param globalMemBytes  {@code CL_DEVICE_GLOBAL_MEM_SIZE} in bytes
 * @param maxAllocBytes   {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE} in bytes: the largest single buffer
 * @param maxWorkGroup    {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}
 * @param localMemBytes   {@code CL_DEVICE_LOCAL_MEM_SIZE} in bytes
 */
record ClDeviceInfo(cl_platform_id platform, cl_device_id device, DeviceKind kind, String name, String vendor,
                    String platformName, String version, long globalMemBytes, long maxAllocBytes, long maxWorkGroup,
                    long localMemBytes) {
}
