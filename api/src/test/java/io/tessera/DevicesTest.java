package io.tessera;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** api's own test class path installs no backend, so the process-wide registry finds none. */
class DevicesTest {

    @Test
    void theProcessWideRegistryIsOneInstance() {
        assertSame(Devices.registry(), Devices.registry());
        assertSame(Devices.registry().backends(), Devices.all());
    }

    @Test
    void withoutBackendsNoDeviceIsFoundAndTheMessageSaysSo() {
        assertTrue(Devices.all().isEmpty(), "api's tests must not install a backend: " + Devices.all());
        assertTrue(Devices.available().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.get("cpu"));
        assertTrue(e.getMessage().contains("no device 'cpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("Devices: none"), e.getMessage());
    }
}
