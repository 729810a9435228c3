package io.tessera.examples.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.tessera.Device;
import io.tessera.Devices;

/**
 * Binds the {@link Device} every other module uses: the one named by {@code --device}, else
 * {@link Devices#defaultDevice()} (which honours {@code -Dtessera.device} and {@code TESSERA_DEVICE}).
 */
public final class DeviceModule extends AbstractModule {
    private final String deviceId;

    /** @param deviceId a device id such as {@code cpu}, or null/blank for the default device */
    public DeviceModule(String deviceId) {
        this.deviceId = deviceId;
    }

    @Provides
    @Singleton
    Device device() {
        return deviceId == null || deviceId.isBlank() ? Devices.defaultDevice() : Devices.registry().defaultDevice(deviceId);
    }
}
