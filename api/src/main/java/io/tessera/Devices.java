package io.tessera;

import java.util.List;

/**
 * Finds devices: the tutorial's {@code get_default_device}. Backends are found through
 * {@link java.util.ServiceLoader} on first use and loaded once per process.
 *
 * <pre>{@code
 * Device device = Devices.defaultDevice();   // an OpenCL GPU if there is one, else the CPU
 * }</pre>
 */
public final class Devices {
    private Devices() {
    }

    private static final class Holder {
        static final DeviceRegistry REGISTRY = DeviceRegistry.fromServiceLoader(Devices.class.getClassLoader());
    }

    /**
     * The process-wide registry.
     *
     * @return the registry over {@link java.util.ServiceLoader}, created once
     */
    public static DeviceRegistry registry() {
        return Holder.REGISTRY;
    }

    /**
     * Every installed backend with its devices, or why it is unavailable.
     *
     * @return one status per installed provider; loads every backend
     */
    public static List<BackendStatus> all() {
        return registry().backends();
    }

    /**
     * Every usable device, best first.
     *
     * @return the devices, best first; loads every backend
     */
    public static List<Device> available() {
        return registry().devices();
    }

    /**
     * The best device: GPUs before accelerators before CPUs, then provider priority. The system property
     * {@value DeviceRegistry#DEVICE_PROPERTY} or else the environment variable {@value DeviceRegistry#DEVICE_ENV}
     * names a device instead. On a machine without an OpenCL GPU this is {@code cpu}; it logs one line saying what
     * it chose and what it skipped, and why.
     *
     * @return the device
     * @throws IllegalArgumentException if the override names no device (the message lists those that exist)
     */
    public static Device defaultDevice() {
        String override = System.getProperty(DeviceRegistry.DEVICE_PROPERTY);
        if (override == null || override.isBlank()) {
            override = System.getenv(DeviceRegistry.DEVICE_ENV);
        }
        return registry().defaultDevice(override);
    }

    /**
     * The device with this id, e.g. {@code cpu} or {@code opencl-jocl:0}.
     *
     * @param id the device id
     * @return the device
     * @throws IllegalArgumentException if none has it, listing those that exist and the backends that did not load
     */
    public static Device get(String id) {
        return registry().get(id);
    }
}
