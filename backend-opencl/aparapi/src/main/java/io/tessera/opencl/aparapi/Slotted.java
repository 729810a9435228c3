package io.tessera.opencl.aparapi;

/**
 * A kernel whose array operands are numbered slots, so that one {@link KernelHandle} can bind tensors to it.
 * Aliased operands (an output that is also an input) share one slot: Aparapi gives every array field a buffer of its
 * own, so one array bound to two fields would have two device copies that disagree. Implemented by the kernel
 * classes; these methods run on the host only and are never called from {@code run()}.
 */
interface Slotted {

    int floatSlots();

    int intSlots();

    void bindFloats(int slot, float[] array);

    void bindInts(int slot, int[] array);
}
