/**
 * The backend conformance kit (TCK): abstract JUnit 5 tests that every backend, Tessera's or a third party's, runs
 * against its own devices. Artifact {@code io.tessera:tessera-tck} (module {@code io.tessera.tck}), test scope; it
 * brings the JUnit Jupiter it is built with (5.14): keep your build's JUnit on the same 5.x line.
 *
 * <p>Extend {@link io.tessera.tck.ConformanceKit} once and every kit class runs as a nested test of yours:
 *
 * <pre>{@code
 * class MyBackendConformanceTest extends ConformanceKit {
 *     @Override
 *     protected Device device() {
 *         return Devices.get("my-backend:0");
 *     }
 * }
 * }</pre>
 *
 * <p>The classes ({@link io.tessera.tck.ConformanceKit#CLASSES}): {@link io.tessera.tck.DeviceConformanceTest},
 * {@link io.tessera.tck.TensorConformanceTest}, {@link io.tessera.tck.CopyConformanceTest},
 * {@link io.tessera.tck.ElementwiseConformanceTest}, {@link io.tessera.tck.GemmConformanceTest},
 * {@link io.tessera.tck.LossConformanceTest}, {@link io.tessera.tck.SgdConformanceTest},
 * {@link io.tessera.tck.KernelsContractConformanceTest}, {@link io.tessera.tck.GradientConformanceTest} (layer
 * gradients against finite differences), {@link io.tessera.tck.CnnGradientConformanceTest} (the same for the CNN
 * layers), {@link io.tessera.tck.TrainingParityConformanceTest} (a short training run against the reference device),
 * for the CNN kernels {@link io.tessera.tck.ConvolutionConformanceTest}, {@link io.tessera.tck.PoolingConformanceTest},
 * {@link io.tessera.tck.BatchNormConformanceTest}, {@link io.tessera.tck.DropoutConformanceTest} and
 * {@link io.tessera.tck.AdamConformanceTest}, and for autograd {@link io.tessera.tck.TensorAlgebraConformanceTest}
 * (the tensor-algebra kernels) and {@link io.tessera.tck.AutogradConformanceTest} (finite-difference gradients of
 * every op of {@link io.tessera.autograd.Graph}); together they call every method of {@link io.tessera.spi.Kernels}.
 * Extending one class on its own also works, for a second configuration of a device.
 *
 * <p>What the kit expects:
 * <ul>
 *   <li>{@code device()} may return the same device on every call; the kit never closes it. Where the device cannot
 *       be had on this machine, skip in a {@code @BeforeAll} of the subclass with
 *       {@code Assumptions.assumeTrue(..., reason)}, so that the reason is reported.</li>
 *   <li>Every test checks that {@link io.tessera.Device#liveAllocations()} is back where it was when the test ends, so
 *       it must count exactly the memory blocks not yet closed, including after a pooled block is returned.</li>
 *   <li>{@link io.tessera.Device#kernels()} returns {@link io.tessera.spi.CheckedKernels#wrap}; the kit's error
 *       tests go through it.</li>
 *   <li>Float results are compared with {@link io.tessera.tck.Reference} (double precision) within
 *       {@link io.tessera.tck.Tolerances}; copies, fills, counts and integer results must be exact.</li>
 *   <li>Cross-device tests use a {@link io.tessera.reference.ReferenceDevice} as the second device.</li>
 * </ul>
 */
package io.tessera.tck;
