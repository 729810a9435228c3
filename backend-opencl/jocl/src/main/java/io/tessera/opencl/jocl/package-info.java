/**
 * The {@code opencl-jocl} backend: OpenCL through JOCL, with kernels written in OpenCL C 1.2. Users reach it through
 * {@link io.tessera.Devices}; the provider class is {@link io.tessera.opencl.jocl.JoclBackendProvider}.
 */
package io.tessera.opencl.jocl;
