package io.tessera.cpu;

import io.tessera.Device;
import io.tessera.Devices;
import io.tessera.tck.AdamConformanceTest;
import io.tessera.tck.BatchNormConformanceTest;
import io.tessera.tck.CnnGradientConformanceTest;
import io.tessera.tck.ConvolutionConformanceTest;
import io.tessera.tck.DropoutConformanceTest;
import io.tessera.tck.PoolingConformanceTest;
import io.tessera.tck.CopyConformanceTest;
import io.tessera.tck.DeviceConformanceTest;
import io.tessera.tck.ElementwiseConformanceTest;
import io.tessera.tck.TensorAlgebraConformanceTest;
import io.tessera.tck.AutogradConformanceTest;
import io.tessera.tck.GemmConformanceTest;
import io.tessera.tck.GradientConformanceTest;
import io.tessera.tck.TrainingParityConformanceTest;
import io.tessera.tck.KernelsContractConformanceTest;
import io.tessera.tck.LossConformanceTest;
import io.tessera.tck.SgdConformanceTest;
import io.tessera.tck.TensorConformanceTest;
import org.junit.jupiter.api.Nested;

/** The whole conformance kit against the {@code cpu} device, found through {@link Devices} as a user would. */
class CpuConformanceTest {

    static Device cpu() {
        return Devices.get("cpu");
    }

    @Nested
    class Copies extends CopyConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class DeviceContract extends DeviceConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class Elementwise extends ElementwiseConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class TensorAlgebra extends TensorAlgebraConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class Autograd extends AutogradConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class Gemm extends GemmConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class KernelsContract extends KernelsContractConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class Loss extends LossConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class Sgd extends SgdConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class TensorContract extends TensorConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class Gradients extends GradientConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class CnnGradients extends CnnGradientConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class TrainingParity extends TrainingParityConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class Adam extends AdamConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class BatchNorm extends BatchNormConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class Convolution extends ConvolutionConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class Dropout extends DropoutConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }

    @Nested
    class Pooling extends PoolingConformanceTest {
        @Override
        protected Device device() {
            return cpu();
        }
    }
}
