package io.tessera.nn;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a checkpoint stores about a layer besides its parameters: the type name its
 * {@link io.tessera.spi.LayerFactory} registers, and integer attributes (sizes, strides).
 *
 * @param type       the type name, e.g. {@code Linear}
 * @param attributes the attributes by name, unmodifiable, in name order
 */
public record LayerSpec(String type, Map<String, Integer> attributes) {

    /**
     * Validates the type and copies the attributes into an unmodifiable map.
     *
     * @param type a letter, then letters, digits, {@code _} or {@code .}
     * @param attributes the attributes by name; copied
     * @throws IllegalArgumentException if the type is malformed
     */
    public LayerSpec {
        if (type == null || !type.matches("[A-Za-z][A-Za-z0-9_.]*")) {
            throw new IllegalArgumentException("layer type '" + type + "' must be a letter then letters, digits, '_' or '.'");
        }
        attributes = Map.copyOf(new TreeMap<>(attributes));
    }

    /**
     * A spec without attributes.
     *
     * @param type the type name
     * @return the spec
     */
    public static LayerSpec of(String type) {
        return new LayerSpec(type, Map.of());
    }

    /**
     * The attribute, failing with a message naming the layer type when it is missing.
     *
     * @param name the attribute
     * @return its value
     * @throws IllegalArgumentException if the spec has no such attribute
     */
    public int attribute(String name) {
        Integer v = attributes.get(name);
        if (v == null) {
            throw new IllegalArgumentException("layer " + type + " needs attribute '" + name + "', has " + attributes.keySet());
        }
        return v;
    }
}
