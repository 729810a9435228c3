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
            return Linear.uninitialised(spec.attribute("in"), spec.attribute("out"), device);
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
}
