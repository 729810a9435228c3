/**
 * The {@code opencl-aparapi} backend: OpenCL devices driven through Aparapi, whose kernels are plain Java classes
 * that Aparapi translates to OpenCL C at first use.
 *
 * <p>Public surface: {@link io.tessera.opencl.aparapi.AparapiBackendProvider}, found through
 * {@link java.util.ServiceLoader}. Everything else is internal. Two rules shape the internals: a kernel that Aparapi
 * cannot run on the OpenCL device fails with a {@link io.tessera.TesseraException} instead of running on Aparapi's
 * Java thread pool, and tensor data is transferred between host and device only when the coherence state of its
 * {@code AparapiMemory} says the destination is stale.
 */
package io.tessera.opencl.aparapi;
