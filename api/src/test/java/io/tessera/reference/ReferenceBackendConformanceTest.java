package io.tessera.reference;

import io.tessera.Device;
import io.tessera.tck.CnnGradientConformanceTest;
import io.tessera.tck.AdamConformanceTest;
import io.tessera.tck.BatchNormConformanceTest;
import io.tessera.tck.ConvolutionConformanceTest;
import io.tessera.tck.CopyConformanceTest;
import io.tessera.tck.DropoutConformanceTest;
import io.tessera.tck.PoolingConformanceTest;
import io.tessera.tck.DeviceConformanceTest;
import io.tessera.tck.ElementwiseConformanceTest;
import io.tessera.tck.TensorAlgebraConformanceTest;
import io.tessera.tck.AutogradConformanceTest;
import io.tessera.tck.GemmConformanceTest;
import io.tessera.tck.KernelsContractConformanceTest;
import io.tessera.tck.LossConformanceTest;
import io.tessera.tck.SgdConformanceTest;
import io.tessera.tck.TensorConformanceTest;
import io.tessera.tck.reference.ReferenceDevice;
import io.tessera.tck.GradientConformanceTest;
import io.tessera.tck.TrainingParityConformanceTest;
import org.junit.jupiter.api.Nested;

/** Runs the whole conformance kit against the plain-Java reference device: api's own proof that the kit works. */
class ReferenceBackendConformanceTest {
    private static final Device DEVICE = new ReferenceDevice("tck-reference:0");

    @Nested
    class Devices extends DeviceConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Tensors extends TensorConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Copies extends CopyConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Elementwise extends ElementwiseConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class TensorAlgebra extends TensorAlgebraConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Autograd extends AutogradConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Gemm extends GemmConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Loss extends LossConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Sgd extends SgdConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class KernelsContract extends KernelsContractConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Gradients extends GradientConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class TrainingParity extends TrainingParityConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class CnnGradients extends CnnGradientConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Convolution extends ConvolutionConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Pooling extends PoolingConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class BatchNorm extends BatchNormConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Dropout extends DropoutConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }

    @Nested
    class Adam extends AdamConformanceTest {
        @Override
        protected Device device() {
            return DEVICE;
        }
    }
}
