package io.tessera.opencl.jocl;

import io.tessera.DeviceKind;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Enumerates every OpenCL platform and device. Touches native code: called only from
 * {@link JoclBackendProvider#load()}. Not thread-safe (called once).
 */
final class ClDiscovery {
    private ClDiscovery() {
    }

    /**
     * The result of a scan.
     *
     * @param devices usable devices, GPUs first, then accelerators, then CPUs; within a kind in platform order
     * @param notes   one line per platform or device that was skipped, with the reason
     */
    record Result(List<ClDeviceInfo> devices, List<String> notes) {
    }

    /**
     * Lists the platforms and their devices.
     *
     * @return the devices found; possibly none
     * @throws ClException when {@code clGetPlatformIDs} fails: {@code CL_PLATFORM_NOT_FOUND_KHR} (-1001) where the ICD
     *                     loader finds no vendor driver
     */
    static Result scan() {
        int[] count = new int[1];
        ClErrors.check(CL.clGetPlatformIDs(0, null, count), "clGetPlatformIDs", "the OpenCL loader");
        List<ClDeviceInfo> devices = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (count[0] <= 0) {
            return new Result(devices, notes);
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        ClErrors.check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs", "the OpenCL loader");
        for (cl_platform_id platform : platforms) {
            try {
                scanPlatform(platform, devices, notes);
            } catch (ClException e) {
                notes.add("a platform could not be queried and was skipped: " + e.getMessage());
            }
        }
        devices.sort(Comparator.comparingInt(d -> d.kind().preference()));
        return new Result(devices, notes);
    }

    private static void scanPlatform(cl_platform_id platform, List<ClDeviceInfo> devices, List<String> notes) {
        String platformName = platformString(platform, CL.CL_PLATFORM_NAME);
        int[] n = new int[1];
        int code = CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, null, n);
        if (code == CL.CL_DEVICE_NOT_FOUND || (code == CL.CL_SUCCESS && n[0] <= 0)) {
            notes.add("platform '" + platformName + "' has no devices");
            return;
        }
        if (code != CL.CL_SUCCESS) {
            notes.add("platform '" + platformName + "': clGetDeviceIDs failed with " + ClErrors.describe(code));
            return;
        }
        cl_device_id[] ids = new cl_device_id[n[0]];
        ClErrors.check(CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, ids.length, ids, null), "clGetDeviceIDs",
                "platform '" + platformName + "'");
        for (cl_device_id id : ids) {
            try {
                ClDeviceInfo info = describe(platform, platformName, id);
                if (deviceInt(id, CL.CL_DEVICE_AVAILABLE) == 0) {
                    notes.add("device '" + info.name() + "' on '" + platformName + "' is not available");
                } else if (deviceInt(id, CL.CL_DEVICE_COMPILER_AVAILABLE) == 0) {
                    notes.add("device '" + info.name() + "' on '" + platformName + "' has no OpenCL C compiler");
                } else {
                    devices.add(info);
                }
            } catch (ClException e) {
                notes.add("a device on '" + platformName + "' could not be queried and was skipped: " + e.getMessage());
            }
        }
    }

    private static ClDeviceInfo describe(cl_platform_id platform, String platformName, cl_device_id id) {
        long type = deviceLong(id, CL.CL_DEVICE_TYPE);
        DeviceKind kind;
        if ((type & CL.CL_DEVICE_TYPE_GPU) != 0) {
            kind = DeviceKind.GPU;
        } else if ((type & CL.CL_DEVICE_TYPE_CPU) != 0) {
            kind = DeviceKind.CPU;
        } else {
            kind = DeviceKind.ACCELERATOR;
        }
        return new ClDeviceInfo(platform, id, kind, deviceString(id, CL.CL_DEVICE_NAME), deviceString(id, CL.CL_DEVICE_VENDOR),
                platformName, deviceString(id, CL.CL_DEVICE_VERSION), deviceLong(id, CL.CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(id, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE), deviceSizeT(id, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE),
                deviceLong(id, CL.CL_DEVICE_LOCAL_MEM_SIZE));
    }

    private static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        ClErrors.check(CL.clGetPlatformInfo(platform, param, 0, null, size), "clGetPlatformInfo", "the OpenCL loader");
        byte[] bytes = new byte[(int) size[0]];
        ClErrors.check(CL.clGetPlatformInfo(platform, param, bytes.length, Pointer.to(bytes), null), "clGetPlatformInfo",
                "the OpenCL loader");
        return cString(bytes);
    }

    private static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        ClErrors.check(CL.clGetDeviceInfo(device, param, 0, null, size), "clGetDeviceInfo", "an OpenCL device");
        byte[] bytes = new byte[(int) size[0]];
        ClErrors.check(CL.clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null), "clGetDeviceInfo",
                "an OpenCL device");
        return cString(bytes);
    }

    private static long deviceLong(cl_device_id device, int param) {
        long[] v = new long[1];
        ClErrors.check(CL.clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(v), null), "clGetDeviceInfo",
                "an OpenCL device");
        return v[0];
    }

    private static int deviceInt(cl_device_id device, int param) {
        int[] v = new int[1];
        ClErrors.check(CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null), "clGetDeviceInfo",
                "an OpenCL device");
        return v[0];
    }

    private static long deviceSizeT(cl_device_id device, int param) {
        long[] v = new long[1];
        ClErrors.check(CL.clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(v), null), "clGetDeviceInfo",
                "an OpenCL device");
        return v[0];
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8).strip();
    }
}
