package io.tessera.opencl.aparapi;

/** How a kernel launch uses one of its operands; decides which transfers must precede and follow it. */
enum Access {
    /** Read only: the device copy must be current before the launch. */
    READ,
    /** Read and written, or written in part: the device copy must be current before, and is the only current one after. */
    UPDATE,
    /** Every element written without being read: nothing needs to be current before; the device copy is the only current one after. */
    OVERWRITE;

    boolean writes() {
        return this != READ;
    }

    Access merge(Access other) {
        if (this == other) {
            return this;
        }
        return this == OVERWRITE && other == OVERWRITE ? OVERWRITE : UPDATE;
    }
}
