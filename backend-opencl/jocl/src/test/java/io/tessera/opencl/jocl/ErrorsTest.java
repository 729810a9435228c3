package io.tessera.opencl.jocl;

import org.jocl.CL;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorsTest {
    @Test
    void codesAreNamedWithTheDevice() {
        OpenCl.device();
        assertEquals("CL_OUT_OF_RESOURCES", ClErrors.name(-5));
        assertEquals("CL_INVALID_KERNEL_ARGS", ClErrors.name(-52));
        assertEquals("CL_PLATFORM_NOT_FOUND_KHR", ClErrors.name(-1001));
        assertEquals("CL error -12345", ClErrors.name(-12345));
        ClException e = assertThrows(ClException.class, () -> ClErrors.check(CL.CL_INVALID_VALUE, "clFoo", "opencl-jocl:3"));
        assertEquals(CL.CL_INVALID_VALUE, e.code());
        assertEquals("clFoo failed on opencl-jocl:3: CL_INVALID_VALUE (-30)", e.getMessage());
        ClErrors.check(CL.CL_SUCCESS, "clFoo", "opencl-jocl:3");
    }

    @Test
    void aFailedNativeCallBecomesATesseraException() {
        JoclDevice d = OpenCl.device();
        ClLaunch launch = new ClLaunch(d.context(), "ops", "add_f");
        ClException e = assertThrows(ClException.class, () -> launch.i(1));
        assertEquals(CL.CL_INVALID_ARG_SIZE, e.code());
        assertEquals("clSetKernelArg(add_f, 0) failed on " + d.id() + ": CL_INVALID_ARG_SIZE (-51)", e.getMessage());
    }

    @Test
    void aBuildFailureCarriesTheBuildLog() {
        JoclDevice d = OpenCl.device();
        ClBuildException e = assertThrows(ClBuildException.class, () -> d.context().programs()
                .build("broken", "kernel void broken(global float* x) { x[0] = undeclared_name; }", ""));
        assertEquals(CL.CL_BUILD_PROGRAM_FAILURE, e.code());
        assertTrue(e.buildLog().contains("undeclared_name"), e.buildLog());
        assertTrue(e.getMessage().contains("broken") && e.getMessage().contains(d.id()) && e.getMessage().contains(e.buildLog()),
                e.getMessage());
    }

    @Test
    void linkageFailuresBecomeUnavailableWithTheFix() {
        UnsatisfiedLinkError missing = new UnsatisfiedLinkError("Could not initialize native OpenCL library. Implementation library could not be loaded");
        var e = JoclBackendProvider.linkFailure(missing, missing);
        assertTrue(e.getMessage().contains("libOpenCL.so.1") && e.getMessage().contains("pocl-opencl-icd"), e.getMessage());
        assertTrue(e.getCause() == missing);
        NoClassDefFoundError later = new NoClassDefFoundError("Could not initialize class org.jocl.CL");
        var again = JoclBackendProvider.linkFailure(later, missing);
        assertTrue(again.getCause() == missing && again.getSuppressed()[0] == later);
        NoClassDefFoundError noJar = new NoClassDefFoundError("org/jocl/CL");
        assertTrue(JoclBackendProvider.linkFailure(noJar, noJar).getMessage().contains("not on the class path"));
    }
}
