package io.tessera.opencl.aparapi;

import com.aparapi.Range;
import io.tessera.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operands of one launch of a kernel whose fields have fixed roles: every operand must land in the next slot
 * of its type, in the order added. A read-only operand whose memory is already an operand of this launch (one
 * tensor passed for two inputs) is replaced by a temporary copy, since the kernel reads each role through its own
 * field; an output may share an earlier operand's slot only where the kernel allows it ({@link #output}).
 */
final class Launch {
    private final KernelHandle handle;
    private final String deviceId;
    private final List<AparapiMemory> added = new ArrayList<>();
    private final List<AparapiMemory> temporaries = new ArrayList<>();
    private int nextFloat;
    private int nextInt;

    Launch(KernelHandle handle, String deviceId) {
        this.handle = handle;
        this.deviceId = deviceId;
        handle.begin();
    }

    static AparapiMemory mem(Tensor t) {
        return (AparapiMemory) t.memory();
    }

    /** How an output is written: {@code OVERWRITE} where the tensor covers its whole array, else {@code UPDATE}. */
    static Access written(Tensor t) {
        return t.size() == mem(t).length() ? Access.OVERWRITE : Access.UPDATE;
    }

    void read(Tensor t) {
        add(t, Access.READ);
    }

    void update(Tensor t) {
        add(t, Access.UPDATE);
    }

    void write(Tensor t) {
        add(t, written(t));
    }

    /** Adds an output that may be {@code inPlaceOf} (then it shares that slot); returns its slot. */
    int output(Tensor t, Tensor inPlaceOf) {
        AparapiMemory m = mem(t);
        if (m == mem(inPlaceOf)) {
            return handle.floats(m, written(t));
        }
        return add(t, written(t));
    }

    private int add(Tensor t, Access access) {
        AparapiMemory m = mem(t);
        if (added.contains(m)) {
            if (access != Access.READ) {
                throw new IllegalArgumentException(deviceId + ": kernel " + handle.name()
                        + ": an output must not share memory with another operand");
            }
            m = temporaryCopy(m);
        }
        added.add(m);
        boolean floats = m.floats != null;
        int slot = floats ? handle.floats(m, access) : handle.ints(m, access);
        int expected = floats ? nextFloat++ : nextInt++;
        if (slot != expected) {
            throw new IllegalStateException(handle.name() + ": operand in slot " + slot + ", expected " + expected);
        }
        return slot;
    }

    private AparapiMemory temporaryCopy(AparapiMemory m) {
        m.makeHostCurrent();
        AparapiMemory copy = new AparapiMemory(m.dtype(), m.length(), new AtomicLong());
        System.arraycopy(m.array(), 0, copy.array(), 0, m.length());
        copy.hostWritten();
        temporaries.add(copy);
        return copy;
    }

    void launch(Range range) {
        try {
            handle.launch(range);
        } finally {
            for (AparapiMemory t : temporaries) {
                t.close();
            }
        }
    }
}
