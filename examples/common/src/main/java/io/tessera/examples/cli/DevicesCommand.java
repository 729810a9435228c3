package io.tessera.examples.cli;

import io.tessera.BackendStatus;
import io.tessera.Device;
import io.tessera.Devices;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** {@code tessera devices}: every backend and device, and why a backend is unavailable. Tessera's {@code torch.cuda.is_available()}. */
public final class DevicesCommand implements Command {

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public String summary() {
        return "list backends and devices, and why any backend is unavailable";
    }

    @Override
    public Options options() {
        return new Options(name(), "Lists every installed backend with its devices (id, kind, name, memory), or the reason it\n"
                + "cannot run here, and the device Tessera would choose by default.");
    }

    @Override
    public int run(Options.Parsed flags, PrintStream out) {
        print(Devices.all(), out);
        List<Device> devices = Devices.available();
        if (!devices.isEmpty()) {
            out.println();
            out.println("Default device: " + Devices.defaultDevice().id()
                    + " (override with --device, -Dtessera.device=ID or TESSERA_DEVICE=ID)");
        }
        return 0;
    }

    static void print(List<BackendStatus> backends, PrintStream out) {
        for (BackendStatus b : backends) {
            String state = b.state().name().toLowerCase(Locale.ROOT);
            out.println("backend " + b.name() + " (priority " + b.priority() + "): " + state
                    + (b.details() == null || b.details().isBlank() ? "" : (b.isAvailable() ? " - " : ": ") + b.details()));
            for (Device d : b.devices()) {
                out.printf(Locale.ROOT, "  %-18s %-11s %-10s %s%n", d.id(), d.kind(), memory(d.memoryBytes()), d.name());
            }
        }
    }

    static String memory(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }
}
