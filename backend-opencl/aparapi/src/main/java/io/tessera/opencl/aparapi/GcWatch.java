package io.tessera.opencl.aparapi;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Counts garbage collections in this JVM. Aparapi binds a Java array to an OpenCL buffer through the array's address
 * at the last launch; a collection may move the array, after which Aparapi rebuilds the buffer from the host copy at
 * the next launch, and a read-back through an old host pointer is unsafe. Comparing counts tells whether that may
 * have happened since a given launch. Thread-safe.
 */
final class GcWatch {
    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

    private GcWatch() {
    }

    /** The number of collections so far (all collectors), monotonic. */
    static long count() {
        long total = 0;
        for (GarbageCollectorMXBean collector : COLLECTORS) {
            long c = collector.getCollectionCount();
            if (c > 0) {
                total += c;
            }
        }
        return total;
    }
}
