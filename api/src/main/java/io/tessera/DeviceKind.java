package io.tessera;

/** What sort of processor a device is; {@link Devices#defaultDevice()} prefers GPUs, then accelerators, then CPUs. */
public enum DeviceKind {
    /** A graphics processor; preferred first. */
    GPU(0),
    /** Another accelerator (an OpenCL device that is neither GPU nor CPU); preferred after GPUs. */
    ACCELERATOR(1),
    /** A central processor; chosen last. */
    CPU(2);

    private final int preference;

    DeviceKind(int preference) {
        this.preference = preference;
    }

    /**
     * Lower is preferred when choosing a default device.
     *
     * @return 0 for GPU, 1 for ACCELERATOR, 2 for CPU
     */
    public int preference() {
        return preference;
    }
}
