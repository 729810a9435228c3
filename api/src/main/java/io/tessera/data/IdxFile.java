package io.tessera.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The contents of one IDX file of unsigned bytes: its dimensions (outermost first, the first being the number of
 * items) and its payload, row-major. Immutable by contract: {@link #data()} returns the array itself, which callers
 * must not modify.
 */
public final class IdxFile {
    /** Magic number of an IDX file of unsigned-byte images: {@code 0x00000803}, three dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels: {@code 0x00000801}, one dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    private final Path source;
    private final int[] dims;
    private final byte[] data;

    IdxFile(Path source, int[] dims, byte[] data) {
        this.source = source;
        this.dims = dims.clone();
        this.data = data;
    }

    /**
     * The file this was read from.
     *
     * @return the path
     */
    public Path source() {
        return source;
    }

    /**
     * A copy of the dimensions, outermost first.
     *
     * @return a new array
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * The number of items: the first dimension.
     *
     * @return the count
     */
    public int count() {
        return dims[0];
    }

    /**
     * The number of bytes per item: the product of the dimensions after the first (1 for labels).
     *
     * @return bytes per item
     */
    public int itemSize() {
        return dims.length == 1 ? 1 : data.length / dims[0];
    }

    /**
     * The payload, row-major, one unsigned byte per element. Not a copy: do not modify.
     *
     * @return the shared array of {@code count() * itemSize()} bytes
     */
    public byte[] data() {
        return data;
    }

    @Override
    public String toString() {
        return "IdxFile[" + source + ", dims " + Arrays.toString(dims) + "]";
    }
}
