package io.tessera.spi;

import io.tessera.Device;
import io.tessera.nn.Layer;
import io.tessera.nn.LayerSpec;

/**
 * Rebuilds a layer type from its {@link LayerSpec} when a checkpoint is loaded. Listed in
 * {@code META-INF/services/io.tessera.spi.LayerFactory}; third-party layers register the same way. Implementations
 * are stateless and thread-safe.
 */
public interface LayerFactory {

    /**
     * The type name this factory builds, equal to {@code layer.spec().type()}.
     *
     * @return the type name
     */
    String type();

    /**
     * A layer on {@code device} with the shape the spec describes; parameter values are unspecified (the loader
     * overwrites them in {@link Layer#parameters()} order).
     *
     * @param spec the type and attributes read from a checkpoint
     * @param device the device to build on
     * @return a new layer, owned by the caller
     * @throws IllegalArgumentException if an attribute is missing or out of range
     */
    Layer create(LayerSpec spec, Device device);
}
