package io.tessera;

/** What sort of processor a device is; {@link Devices#defaultDevice()} prefers GPUs, then accelerators, then CPUs. */
public enum DeviceKind {
    GPU(0),
    ACCELERATOR(1),
    CPU(2);

    private final int preference;

    DeviceKind(int preference) {
        this.preference = preference;
    }

    /** Lower is preferred when choosing a default device. */
    public int preference() {
        return preference;
    }
}
