package io.tessera.opencl.jocl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds each OpenCL program once per context and keeps its kernels. Programs are OpenCL C 1.2 sources on the class
 * path next to this class ({@code <name>.cl}); {@link #kernel} builds on first use. A failed build raises a
 * {@link ClBuildException} carrying the compiler's log, and is not cached (the next use tries again).
 *
 * <p>Thread-safe for building; a returned {@code cl_kernel} holds argument state, so launches must come from the one
 * thread that issues kernels on the device.
 */
final class ClProgramCache implements AutoCloseable {
    private final cl_context context;
    private final cl_device_id device;
    private final String deviceId;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();

    ClProgramCache(cl_context context, cl_device_id device, String deviceId) {
        this.context = context;
        this.device = device;
        this.deviceId = deviceId;
    }

    /** The kernel {@code kernelName} of the program in resource {@code program + ".cl"}, built on first use. */
    synchronized cl_kernel kernel(String program, String kernelName) {
        String key = program + "#" + kernelName;
        cl_kernel k = kernels.get(key);
        if (k == null) {
            cl_program p = programs.get(program);
            if (p == null) {
                p = build(program, source(program), "");
                programs.put(program, p);
            }
            int[] err = new int[1];
            k = CL.clCreateKernel(p, kernelName, err);
            ClErrors.check(err[0], "clCreateKernel(" + kernelName + ")", deviceId);
            kernels.put(key, k);
        }
        return k;
    }

    /**
     * Compiles {@code source} for this device. The caller owns the returned program.
     *
     * @throws ClBuildException when it does not compile, with the build log
     */
    cl_program build(String name, String source, String options) {
        int[] err = new int[1];
        cl_program p = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, err);
        ClErrors.check(err[0], "clCreateProgramWithSource(" + name + ")", deviceId);
        int code = CL.clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null);
        if (code != CL.CL_SUCCESS) {
            String log = buildLog(p);
            CL.clReleaseProgram(p);
            throw new ClBuildException(code, "OpenCL program '" + name + "' failed to build on " + deviceId + ": "
                    + ClErrors.describe(code) + "\n--- build log ---\n" + log, log);
        }
        return p;
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        if (CL.clGetProgramBuildInfo(p, device, CL.CL_PROGRAM_BUILD_LOG, 0, null, size) != CL.CL_SUCCESS || size[0] <= 0) {
            return "";
        }
        byte[] bytes = new byte[(int) size[0]];
        if (CL.clGetProgramBuildInfo(p, device, CL.CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null) != CL.CL_SUCCESS) {
            return "";
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8).strip();
    }

    static String source(String program) {
        String resource = program + ".cl";
        try (InputStream in = ClProgramCache.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("OpenCL source " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading OpenCL source " + resource, e);
        }
    }

    @Override
    public synchronized void close() {
        kernels.values().forEach(CL::clReleaseKernel);
        kernels.clear();
        programs.values().forEach(CL::clReleaseProgram);
        programs.clear();
    }
}
