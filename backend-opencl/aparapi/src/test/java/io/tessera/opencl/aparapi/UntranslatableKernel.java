package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;

/** A kernel Aparapi cannot translate: {@code run()} makes an interface call. Were it run on the thread pool, it would write 42s. */
final class UntranslatableKernel extends Kernel implements Slotted {
    float[] s0;
    int n;

    @Override
    public void run() {
        int i = getGlobalId();
        Slotted self = this;
        if (i < n && self.floatSlots() == 1) {
            s0[i] = 42f;
        }
    }

    @Override
    public int floatSlots() {
        return 1;
    }

    @Override
    public int intSlots() {
        return 0;
    }

    @Override
    public void bindFloats(int slot, float[] array) {
        s0 = array;
    }

    @Override
    public void bindInts(int slot, int[] array) {
        throw new IllegalArgumentException("no int slots");
    }
}
