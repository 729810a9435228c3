package io.tessera.nn;

import io.tessera.Device;
import io.tessera.spi.LayerFactory;

/** Checkpoint factories for the layers in this package. */
public final class BuiltinLayers {
    private BuiltinLayers() {
    }

    /** Rebuilds {@link Linear}. */
    public static final class LinearFactory implements LayerFactory {
        @Override
        public String type() {
            return Linear.TYPE;
        }

        @Override
        public Layer create(LayerSpec spec, Device device) {
            return Linear.uninitialised(spec.attribute("in"), spec.attribute("out"), hasBias(spec), device);
        }
    }

    /** Rebuilds {@link ReLU}. */
    public static final class ReLUFactory implements LayerFactory {
        @Override
        public String type() {
            return ReLU.TYPE;
        }

        @Override
        public Layer create(LayerSpec spec, Device device) {
            return new ReLU();
        }
    }

    /** Rebuilds {@link Flatten}. */
    public static final class FlattenFactory implements LayerFactory {
        @Override
        public String type() {
            return Flatten.TYPE;
        }

        @Override
        public Layer create(LayerSpec spec, Device device) {
            return new Flatten();
        }
    }

    /** Rebuilds {@link Conv2d} from {@code in, out, kernel, stride, padding} and {@code bias} (0 or 1; 1 when absent). */
    public static final class Conv2dFactory implements LayerFactory {
        @Override
        public String type() {
            return Conv2d.TYPE;
        }

        @Override
        public Layer create(LayerSpec spec, Device device) {
            return Conv2d.uninitialised(spec.attribute("in"), spec.attribute("out"), spec.attribute("kernel"),
                    spec.attribute("stride"), spec.attribute("padding"), hasBias(spec), device);
        }
    }

    /** Rebuilds {@link MaxPool2d} from {@code kernel, stride, padding}. */
    public static final class MaxPool2dFactory implements LayerFactory {
        @Override
        public String type() {
            return MaxPool2d.TYPE;
        }

        @Override
        public Layer create(LayerSpec spec, Device device) {
            return new MaxPool2d(spec.attribute("kernel"), spec.attribute("stride"), spec.attribute("padding"));
        }
    }

    /** Rebuilds {@link Dropout} from {@code p_f32, seed_low, seed_high}. */
    public static final class DropoutFactory implements LayerFactory {
        @Override
        public String type() {
            return Dropout.TYPE;
        }

        @Override
        public Layer create(LayerSpec spec, Device device) {
            return Dropout.fromSpec(spec);
        }
    }

    /** Rebuilds {@link BatchNorm1d} from {@code features, eps_f32, momentum_f32}. */
    public static final class BatchNorm1dFactory implements LayerFactory {
        @Override
        public String type() {
            return BatchNorm1d.TYPE;
        }

        @Override
        public Layer create(LayerSpec spec, Device device) {
            return BatchNorm1d.fromSpec(spec, device);
        }
    }

    /** Rebuilds {@link BatchNorm2d} from {@code channels, eps_f32, momentum_f32}. */
    public static final class BatchNorm2dFactory implements LayerFactory {
        @Override
        public String type() {
            return BatchNorm2d.TYPE;
        }

        @Override
        public Layer create(LayerSpec spec, Device device) {
            return BatchNorm2d.fromSpec(spec, device);
        }
    }

    /** The optional {@code bias} attribute of Linear and Conv2d: 0 for none, 1 (or absent, as in older files) for one. */
    static boolean hasBias(LayerSpec spec) {
        Integer bias = spec.attributes().get("bias");
        if (bias != null && bias != 0 && bias != 1) {
            throw new IllegalArgumentException(spec.type() + ": attribute bias must be 0 or 1, got " + bias);
        }
        return bias == null || bias == 1;
    }
}
