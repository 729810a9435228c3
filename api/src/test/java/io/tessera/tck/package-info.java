/**
 * The backend conformance kit (TCK): abstract JUnit 5 tests that every backend runs against its own devices.
 *
 * <p>A backend depends on {@code io.tessera:tessera-api} with {@code <type>test-jar</type>} and {@code <scope>test</scope>}
 * (plus {@code junit-jupiter}), and extends each abstract class once, implementing {@link
 * io.tessera.tck.ConformanceTestBase#device()}:
 *
 * <pre>{@code
 * class MyGemmTest extends GemmConformanceTest {
 *     private static final Device DEVICE = Devices.get("my-backend:0");
 *
 *     @Override
 *     protected Device device() {
 *         return DEVICE;
 *     }
 * }
 * }</pre>
 *
 * <p>The classes: {@link io.tessera.tck.DeviceConformanceTest}, {@link io.tessera.tck.TensorConformanceTest},
 * {@link io.tessera.tck.CopyConformanceTest}, {@link io.tessera.tck.ElementwiseConformanceTest},
 * {@link io.tessera.tck.GemmConformanceTest}, {@link io.tessera.tck.LossConformanceTest},
 * {@link io.tessera.tck.SgdConformanceTest}, {@link io.tessera.tck.KernelsContractConformanceTest}, and for the CNN
 * kernels {@link io.tessera.tck.ConvolutionConformanceTest}, {@link io.tessera.tck.PoolingConformanceTest},
 * {@link io.tessera.tck.BatchNormConformanceTest}, {@link io.tessera.tck.DropoutConformanceTest} and
 * {@link io.tessera.tck.AdamConformanceTest}, and for autograd {@link io.tessera.tck.TensorAlgebraConformanceTest}
 * (the tensor-algebra kernels) and {@link io.tessera.tck.AutogradConformanceTest} (finite-difference gradients of
 * every op of {@link io.tessera.autograd.Graph}); together they
 * call every method of {@link io.tessera.spi.Kernels}.
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
 *   <li>Cross-device tests use a {@link io.tessera.tck.reference.ReferenceDevice} as the second device.</li>
 * </ul>
 */
package io.tessera.tck;
