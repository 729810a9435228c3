package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import com.aparapi.internal.kernel.KernelManager;
import io.tessera.TesseraException;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One Aparapi kernel instance on one OpenCL device, and the launch helper every operation goes through.
 *
 * <p><b>Buffers.</b> Aparapi runs each kernel instance in its own OpenCL context, with one buffer per array field, so
 * device copies cannot be shared between kernels. The kernel is in explicit mode ({@code setExplicit(true)}): Aparapi
 * transfers nothing on its own, except that a buffer is created from the host array when a field gets a different
 * array (or the array moved). A launch therefore, per slot: writes back to the host the only current copy of an
 * array that is about to leave the slot; makes the host array current where this kernel's copy is stale; and
 * {@code put}s it where the array stays bound. After the launch, this kernel's copies of the arrays it wrote are the
 * only current ones; nothing is read back until the host or another kernel needs it.
 *
 * <p><b>No fall-back.</b> Before the first launch the kernel is compiled for the device; after every launch the
 * kernel's preferences are checked for a failed device. Either failure is a {@link TesseraException} naming the
 * kernel, the device and Aparapi's reason; Aparapi's silent fall-back to its Java thread pool is never accepted.
 *
 * <p>Not thread-safe: used by the one thread that issues kernels on the device.
 */
final class KernelHandle {
    /** Work sizes remembered per kernel before the set is cleared (a new size only costs a signal). */
    private static final int MAX_SHAPES = 1024;

    private final Kernel kernel;
    private final Slotted slotted;
    private final OpenCLDevice device;
    private final String deviceId;
    private final AparapiLog log;
    private final boolean sharedMemory;
    private final Slot[] floatSlots;
    private final Slot[] intSlots;
    private final Operands floats;
    private final Operands ints;
    /** The work sizes launched so far (see {@link #newShape}). */
    private final Set<List<Integer>> shapes = new HashSet<>();
    private boolean verified;
    private boolean disposed;
    private long lastGc = -1;

    /**
     * Wraps {@code kernel} (which must implement {@link Slotted}) for {@code device}. {@code devices} is every OpenCL
     * device of the backend, which becomes the kernel class's preference list, so that Aparapi never prefers its
     * Java devices.
     */
    <K extends Kernel & Slotted> KernelHandle(K kernel, OpenCLDevice device, String deviceId, LinkedHashSet<com.aparapi.device.Device> devices,
            AparapiLog log) {
        this.kernel = kernel;
        this.slotted = kernel;
        this.device = device;
        this.deviceId = deviceId;
        this.log = log;
        this.sharedMemory = device.isSharedMemory();
        this.floatSlots = slots(kernel.floatSlots(), true);
        this.intSlots = slots(kernel.intSlots(), false);
        this.floats = new Operands(kernel.floatSlots());
        this.ints = new Operands(kernel.intSlots());
        kernel.setExplicit(true);
        KernelManager.instance().setPreferredDevices(kernel, devices);
        for (int s = 0; s < floatSlots.length; s++) {
            kernel.bindFloats(s, (float[]) floatSlots[s].array);
        }
        for (int s = 0; s < intSlots.length; s++) {
            kernel.bindInts(s, (int[]) intSlots[s].array);
        }
    }

    private static Slot[] slots(int count, boolean floats) {
        Slot[] slots = new Slot[count];
        for (int s = 0; s < count; s++) {
            slots[s] = new Slot(floats ? new float[1] : new int[1]);
        }
        return slots;
    }

    /** The simple name of the kernel class, for messages. */
    String name() {
        return kernel.getClass().getSimpleName();
    }

    /** Starts a launch: forgets the operands of any launch that did not complete. */
    void begin() {
        floats.clear();
        ints.clear();
    }

    /** Adds a float operand to the launch being prepared and returns its slot; an array added twice shares one slot. */
    int floats(AparapiMemory memory, Access access) {
        return floats.add(memory, access, name());
    }

    /** Adds an int operand to the launch being prepared and returns its slot. */
    int ints(AparapiMemory memory, Access access) {
        return ints.add(memory, access, name());
    }

    /** Runs the kernel over {@code range} with the operands added since {@link #begin()}. */
    void launch(Range range) {
        if (disposed) {
            throw new IllegalStateException(deviceId + ": the backend is closed");
        }
        try {
            long gc = GcWatch.count();
            boolean mayHaveMoved = gc != lastGc;
            evict(floatSlots, floats);
            evict(intSlots, ints);
            prepare(floatSlots, floats, mayHaveMoved);
            prepare(intSlots, ints, mayHaveMoved);
            bind();
            run(range);
            lastGc = gc;
            record(floatSlots, floats);
            record(intSlots, ints);
        } finally {
            floats.clear();
            ints.clear();
        }
    }

    /** Writes back the only current copy of arrays that leave their slot in this launch: Aparapi frees their buffers. */
    private void evict(Slot[] slots, Operands operands) {
        for (int s = 0; s < slots.length; s++) {
            AparapiMemory old = slots[s].memory;
            AparapiMemory incoming = s < operands.count ? operands.memories[s] : null;
            if (old != null && old != incoming && old.owner() == this && !old.isClosed()) {
                old.makeHostCurrent();
            }
        }
    }

    private void prepare(Slot[] slots, Operands operands, boolean mayHaveMoved) {
        for (int s = 0; s < operands.count; s++) {
            AparapiMemory memory = operands.memories[s];
            if (operands.access[s] == Access.OVERWRITE) {
                continue;
            }
            Slot slot = slots[s];
            boolean stays = slot.array == memory.array();
            if (stays && slot.version == memory.version()) {
                if (mayHaveMoved && memory.owner() == this) {
                    // Aparapi rebuilds the buffer of a moved array from the host array at this launch.
                    if (sharedMemory) {
                        memory.hostCurrentWithoutReadBack();
                    } else {
                        memory.makeHostCurrent();
                    }
                }
                continue;
            }
            memory.makeHostCurrent();
            if (stays) {
                put(memory);
            }
            // A newly bound array gets a new buffer created from the (now current) host array.
        }
    }

    private void bind() {
        for (int s = 0; s < floatSlots.length; s++) {
            slotted.bindFloats(s, s < floats.count ? floats.memories[s].floats : (float[]) floatSlots[s].placeholder);
        }
        for (int s = 0; s < intSlots.length; s++) {
            slotted.bindInts(s, s < ints.count ? ints.memories[s].ints : (int[]) intSlots[s].placeholder);
        }
    }

    private void record(Slot[] slots, Operands operands) {
        for (int s = 0; s < slots.length; s++) {
            Slot slot = slots[s];
            if (s < operands.count) {
                AparapiMemory memory = operands.memories[s];
                slot.array = memory.array();
                slot.memory = memory;
                slot.version = operands.access[s].writes() ? memory.deviceWritten(this) : memory.version();
            } else {
                slot.array = slot.placeholder;
                slot.memory = null;
                slot.version = -1;
            }
        }
    }

    private void run(Range range) {
        // The driver compiles at the first launch and may again for a new work size (PoCL specialises its work-group
        // functions), and an LLVM inside it may then replace the JVM's signal handlers: see SignalGuard.
        boolean mayCompile = newShape(range) | !verified;
        try {
            if (!verified) {
                try {
                    kernel.compile(device);
                } catch (CompileFailedException e) {
                    TesseraException refused = refusal(describe(e));
                    refused.initCause(e);
                    throw refused;
                }
            }
            execute(range);
        } finally {
            if (mayCompile) {
                SignalGuard.restore();
            }
        }
        verified = true;
    }

    /** Records the global and local sizes of {@code range}; true the first time they are seen (cleared past a bound). */
    private boolean newShape(Range range) {
        List<Integer> key = List.of(range.getDims(), range.getGlobalSize(0), range.getGlobalSize(1), range.getGlobalSize(2),
                range.getLocalSize(0), range.getLocalSize(1), range.getLocalSize(2));
        if (shapes.size() >= MAX_SHAPES) {
            shapes.clear();
        }
        return shapes.add(key);
    }

    private void execute(Range range) {
        long mark = log.mark();
        try {
            kernel.execute(range);
        } catch (RuntimeException e) {
            throw new TesseraException(deviceId + ": kernel " + name() + " failed on OpenCL device '" + device.getName() + "': " + e, e);
        }
        if (fellBack()) {
            String reason = log.since(mark);
            throw refusal(reason.isEmpty() ? "Aparapi marked the device as failed for this kernel" : reason);
        }
    }

    private boolean fellBack() {
        return !kernel.isRunningCL() || KernelManager.instance().getPreferences(kernel).getFailedDevices().contains(device);
    }

    private TesseraException refusal(String reason) {
        return new TesseraException(deviceId + ": kernel " + kernel.getClass().getName() + " cannot run on OpenCL device '" + device.getName()
                + "': " + reason + ". Aparapi would run it on its Java thread pool instead; Tessera refuses to fall back silently."
                + " A kernel may use only what Aparapi translates to OpenCL: primitive and array fields, arithmetic, loops and"
                + " private methods of the kernel class; no objects, interface calls, lambdas, doubles or exceptions.");
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && text.indexOf(message) < 0) {
                if (text.length() > 0) {
                    text.append(": ");
                }
                text.append(message.strip());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return text.length() > 0 ? text.toString() : e.getClass().getName();
    }

    /** Reads this kernel's copy of {@code memory} into the host array; the caller records that the host is current. */
    void readBack(AparapiMemory memory) {
        if (sharedMemory && GcWatch.count() != lastGc) {
            // The buffer aliases the array's old address; its values moved with the array.
            return;
        }
        if (memory.floats != null) {
            kernel.get(memory.floats);
        } else {
            kernel.get(memory.ints);
        }
    }

    private void put(AparapiMemory memory) {
        if (memory.floats != null) {
            kernel.put(memory.floats);
        } else {
            kernel.put(memory.ints);
        }
    }

    /** Releases the kernel's OpenCL context and buffers, after writing back the only current copies it holds. */
    void dispose() {
        if (disposed) {
            return;
        }
        for (Slot[] slots : new Slot[][] {floatSlots, intSlots}) {
            for (Slot slot : slots) {
                if (slot.memory != null && slot.memory.owner() == this && !slot.memory.isClosed()) {
                    slot.memory.makeHostCurrent();
                }
            }
        }
        disposed = true;
        kernel.dispose();
    }

    /** The array bound to one field at the last launch, and the version of its memory that the field's buffer holds. */
    private static final class Slot {
        final Object placeholder;
        Object array;
        AparapiMemory memory;
        long version = -1;

        Slot(Object placeholder) {
            this.placeholder = placeholder;
            this.array = placeholder;
        }
    }

    /** The operands of the launch being prepared, one per slot, reused from launch to launch. */
    private static final class Operands {
        final AparapiMemory[] memories;
        final Access[] access;
        int count;

        Operands(int slots) {
            memories = new AparapiMemory[slots];
            access = new Access[slots];
        }

        int add(AparapiMemory memory, Access how, String kernel) {
            for (int s = 0; s < count; s++) {
                if (memories[s] == memory) {
                    access[s] = access[s].merge(how);
                    return s;
                }
            }
            if (count == memories.length) {
                throw new IllegalStateException(kernel + " has only " + memories.length + " slots of this type");
            }
            memories[count] = memory;
            access[count] = how;
            return count++;
        }

        void clear() {
            Arrays.fill(memories, 0, count, null);
            count = 0;
        }
    }
}
