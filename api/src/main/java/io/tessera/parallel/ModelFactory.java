package io.tessera.parallel;

import io.tessera.Device;
import io.tessera.nn.Layer;

import java.io.Serializable;

/**
 * Builds one replica of a model on a device. Called once per replica, on whichever machine runs it (a Spark executor
 * too), so it is {@link Serializable} and must capture only serializable values. Replicas need not start equal: the
 * trainer copies the first replica's state into the others.
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    /**
     * Builds a replica on {@code device}.
     *
     * @param device the replica's device
     * @return a new model on that device, owned by the trainer that asked for it
     */
    Layer create(Device device);
}
