package io.tessera.tck;

import io.tessera.Device;
import org.junit.jupiter.api.Nested;

import java.util.List;

/**
 * The whole conformance kit in one class: extend it once, return the device under test from {@link #device()}, and
 * JUnit runs every kit class ({@link #CLASSES}) as a nested test of yours. A kit class added in a later version runs
 * without a change on your side.
 *
 * <pre>{@code
 * class MyBackendConformanceTest extends ConformanceKit {
 *     @BeforeAll
 *     static void needsMyDevice() {
 *         Assumptions.assumeTrue(MyBackend.available(), "my-backend: no device on this machine");
 *     }
 *
 *     @Override
 *     protected Device device() {
 *         return Devices.get("my-backend:0");
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #device()} is called many times, from JUnit's thread, and may return the same device every time; the
 * kit never closes it. A backend that must also run one kit class in a second configuration (another kernel variant
 * of the same device, say) extends that class on its own as well; {@link #CLASSES} lists what there is to extend.
 */
public abstract class ConformanceKit {

    /** Every kit class, in the order the nested tests are declared; each has exactly one nested class here. */
    public static final List<Class<? extends ConformanceTestBase>> CLASSES = List.of(
            DeviceConformanceTest.class,
            TensorConformanceTest.class,
            CopyConformanceTest.class,
            ElementwiseConformanceTest.class,
            GemmConformanceTest.class,
            LossConformanceTest.class,
            SgdConformanceTest.class,
            KernelsContractConformanceTest.class,
            GradientConformanceTest.class,
            CnnGradientConformanceTest.class,
            TrainingParityConformanceTest.class,
            ConvolutionConformanceTest.class,
            PoolingConformanceTest.class,
            BatchNormConformanceTest.class,
            DropoutConformanceTest.class,
            AdamConformanceTest.class,
            TensorAlgebraConformanceTest.class,
            AutogradConformanceTest.class);

    /** For subclasses. */
    protected ConformanceKit() {
    }

    /**
     * The device under test: every nested kit test runs on it.
     *
     * @return the device; never {@code null}
     */
    protected abstract Device device();

    /** {@link DeviceConformanceTest} on {@link #device()}. */
    @Nested
    public class DeviceTests extends DeviceConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public DeviceTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link TensorConformanceTest} on {@link #device()}. */
    @Nested
    public class TensorTests extends TensorConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public TensorTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link CopyConformanceTest} on {@link #device()}. */
    @Nested
    public class CopyTests extends CopyConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public CopyTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link ElementwiseConformanceTest} on {@link #device()}. */
    @Nested
    public class ElementwiseTests extends ElementwiseConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public ElementwiseTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link GemmConformanceTest} on {@link #device()}. */
    @Nested
    public class GemmTests extends GemmConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public GemmTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link LossConformanceTest} on {@link #device()}. */
    @Nested
    public class LossTests extends LossConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public LossTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link SgdConformanceTest} on {@link #device()}. */
    @Nested
    public class SgdTests extends SgdConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public SgdTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link KernelsContractConformanceTest} on {@link #device()}. */
    @Nested
    public class KernelsContractTests extends KernelsContractConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public KernelsContractTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link GradientConformanceTest} on {@link #device()}. */
    @Nested
    public class GradientTests extends GradientConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public GradientTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link CnnGradientConformanceTest} on {@link #device()}. */
    @Nested
    public class CnnGradientTests extends CnnGradientConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public CnnGradientTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link TrainingParityConformanceTest} on {@link #device()}. */
    @Nested
    public class TrainingParityTests extends TrainingParityConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public TrainingParityTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link ConvolutionConformanceTest} on {@link #device()}. */
    @Nested
    public class ConvolutionTests extends ConvolutionConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public ConvolutionTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link PoolingConformanceTest} on {@link #device()}. */
    @Nested
    public class PoolingTests extends PoolingConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public PoolingTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link BatchNormConformanceTest} on {@link #device()}. */
    @Nested
    public class BatchNormTests extends BatchNormConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public BatchNormTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link DropoutConformanceTest} on {@link #device()}. */
    @Nested
    public class DropoutTests extends DropoutConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public DropoutTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link AdamConformanceTest} on {@link #device()}. */
    @Nested
    public class AdamTests extends AdamConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public AdamTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link TensorAlgebraConformanceTest} on {@link #device()}. */
    @Nested
    public class TensorAlgebraTests extends TensorAlgebraConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public TensorAlgebraTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }

    /** {@link AutogradConformanceTest} on {@link #device()}. */
    @Nested
    public class AutogradTests extends AutogradConformanceTest {
        /** Created by JUnit, inside the kit's instance. */
        public AutogradTests() {
        }

        @Override
        protected Device device() {
            return ConformanceKit.this.device();
        }
    }
}
