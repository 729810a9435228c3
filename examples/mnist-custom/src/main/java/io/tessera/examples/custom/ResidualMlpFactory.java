package io.tessera.examples.custom;

import io.tessera.Device;
import io.tessera.nn.Layer;
import io.tessera.nn.LayerSpec;
import io.tessera.spi.LayerFactory;

/** Rebuilds a {@link ResidualMlp} from a checkpoint, so that {@code Checkpoint.load} and {@code tessera predict} read it. */
public final class ResidualMlpFactory implements LayerFactory {

    @Override
    public String type() {
        return ResidualMlp.TYPE;
    }

    @Override
    public Layer create(LayerSpec spec, Device device) {
        return new ResidualMlp(spec.attribute("in"), spec.attribute("width"), spec.attribute("blocks"), spec.attribute("classes"), 0,
                device);
    }
}
