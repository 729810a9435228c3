package io.tessera.opencl.aparapi;

import io.tessera.Device;
import io.tessera.tck.AdamConformanceTest;
import io.tessera.tck.BatchNormConformanceTest;
import io.tessera.tck.ConvolutionConformanceTest;
import io.tessera.tck.CopyConformanceTest;
import io.tessera.tck.DeviceConformanceTest;
import io.tessera.tck.DropoutConformanceTest;
import io.tessera.tck.ElementwiseConformanceTest;
import io.tessera.tck.GemmConformanceTest;
import io.tessera.tck.GradientConformanceTest;
import io.tessera.tck.CnnGradientConformanceTest;
import io.tessera.tck.TrainingParityConformanceTest;
import io.tessera.tck.KernelsContractConformanceTest;
import io.tessera.tck.LossConformanceTest;
import io.tessera.tck.PoolingConformanceTest;
import io.tessera.tck.SgdConformanceTest;
import io.tessera.tck.TensorAlgebraConformanceTest;
import io.tessera.tck.AutogradConformanceTest;
import io.tessera.tck.TensorConformanceTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The whole conformance kit against {@code opencl-aparapi:0}, found through {@link io.tessera.Devices} as a user
 * would. Skipped with the reason printed where no OpenCL platform exists, unless {@code TESSERA_REQUIRE_OPENCL=1}.
 */
class AparapiConformanceTest {

    @BeforeAll
    static void needsOpenCl() {
        OpenCl.require();
    }

    @Nested
    class Copies extends CopyConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class DeviceContract extends DeviceConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class Elementwise extends ElementwiseConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class Gemm extends GemmConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class KernelsContract extends KernelsContractConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class Loss extends LossConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class Sgd extends SgdConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class TensorContract extends TensorConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class Gradients extends GradientConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class CnnGradients extends CnnGradientConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class TrainingParity extends TrainingParityConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class Convolution extends ConvolutionConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class Pooling extends PoolingConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class BatchNorm extends BatchNormConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class Dropout extends DropoutConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class Adam extends AdamConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class TensorAlgebra extends TensorAlgebraConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }

    @Nested
    class Autograd extends AutogradConformanceTest {
        @Override
        protected Device device() {
            return OpenCl.device();
        }
    }
}
