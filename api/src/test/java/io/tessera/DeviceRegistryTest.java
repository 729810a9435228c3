package io.tessera;

import io.tessera.BackendStatus.State;
import io.tessera.spi.BackendProvider;
import io.tessera.spi.BackendUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.ServiceConfigurationError;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceRegistryTest {
    /** Held so that the level set here sticks; the tests provoke warnings on purpose. */
    private static final Logger LOG = Logger.getLogger("io.tessera.devices");
    private static final String NO_OPENCL = "no OpenCL platform: libOpenCL.so.1 not found; install an OpenCL driver";

    private static Level savedLevel;

    @BeforeAll
    static void quietDiscoveryLog() {
        savedLevel = LOG.getLevel();
        LOG.setLevel(Level.OFF);
    }

    @AfterAll
    static void restoreDiscoveryLog() {
        LOG.setLevel(savedLevel);
    }

    private static BackendStatus status(DeviceRegistry registry, String name) {
        return registry.backends().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no status for " + name + " in " + registry.backends()));
    }

    private static List<String> ids(DeviceRegistry registry) {
        return registry.devices().stream().map(Device::id).toList();
    }

    private static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "expected '" + part + "' in: " + text);
        }
    }

    @Test
    void anUnavailableBackendKeepsItsReason() {
        BackendUnavailableException reason = new BackendUnavailableException(NO_OPENCL);
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.failing("opencl-jocl", reason), FakeProvider.cpu("cpu", 100)));
        BackendStatus s = status(registry, "opencl-jocl");
        assertEquals(State.UNAVAILABLE, s.state());
        assertFalse(s.isAvailable());
        assertEquals(NO_OPENCL, s.details());
        assertSame(reason, s.cause());
        assertTrue(s.devices().isEmpty());
        assertEquals(List.of("cpu"), ids(registry));
    }

    @Test
    void aRuntimeExceptionIsRecordedAsErrored() {
        IllegalStateException boom = new IllegalStateException("driver table corrupt");
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.failing("broken", boom), FakeProvider.cpu("cpu", 100)));
        BackendStatus s = status(registry, "broken");
        assertEquals(State.ERRORED, s.state());
        assertSame(boom, s.cause());
        assertContains(s.details(), "IllegalStateException", "driver table corrupt");
        assertEquals(List.of("cpu"), ids(registry));
    }

    static Stream<Arguments> linkageErrors() {
        return Stream.of(new UnsatisfiedLinkError("no jocl in java.library.path"), new NoClassDefFoundError("org/jocl/CL"),
                new LinkageError("incompatible class change"), new ExceptionInInitializerError("static init failed"),
                new StackOverflowError("deep")).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linkageErrors")
    void anErrorInLoadIsRecordedAndDiscoveryGoesOn(Error error) {
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.cpu("cpu", 100), FakeProvider.failing("native", error),
                FakeProvider.gpu("after", 1)));
        BackendStatus s = status(registry, "native");
        assertEquals(State.ERRORED, s.state());
        assertSame(error, s.cause());
        assertContains(s.details(), error.getClass().getName(), error.getMessage());
        assertEquals(List.of("after:0", "cpu"), ids(registry), "providers before and after the failing one still load");
    }

    @Test
    void virtualMachineErrorsAreNotSwallowed() {
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.failing("oom", new OutOfMemoryError("heap"))));
        assertThrows(OutOfMemoryError.class, registry::backends);
    }

    @Test
    void aServiceConfigurationErrorInIterationIsRecordedAndOthersLoad() {
        ServiceConfigurationError sce = new ServiceConfigurationError("io.tessera.spi.BackendProvider: Provider com.acme.Gpu could not be instantiated");
        List<Object> items = List.of(FakeProvider.cpu("cpu", 100), sce, FakeProvider.gpu("gpu", 5));
        DeviceRegistry registry = new DeviceRegistry(() -> iterator(items));
        List<BackendStatus> all = registry.backends();
        assertEquals(3, all.size());
        BackendStatus failed = all.get(1);
        assertEquals(State.ERRORED, failed.state());
        assertSame(sce, failed.cause());
        assertContains(failed.details(), "com.acme.Gpu");
        assertEquals(List.of("gpu:0", "cpu"), ids(registry));
    }

    @Test
    void anIteratorThatKeepsFailingIsAbandoned() {
        DeviceRegistry registry = new DeviceRegistry(() -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public BackendProvider next() {
                throw new ServiceConfigurationError("always broken");
            }
        });
        List<BackendStatus> all = registry.backends();
        assertEquals(DeviceRegistry.MAX_CONSECUTIVE_FAILURES + 1, all.size());
        assertContains(all.get(all.size() - 1).details(), "gave up");
        assertTrue(all.stream().noneMatch(BackendStatus::isAvailable));
    }

    @Test
    void aFailingProviderListIsRecorded() {
        DeviceRegistry registry = new DeviceRegistry(() -> {
            throw new ServiceConfigurationError("bad META-INF/services file");
        });
        assertEquals(1, registry.backends().size());
        assertEquals(State.ERRORED, registry.backends().get(0).state());
        assertContains(registry.inventory(), "bad META-INF/services file");
    }

    @Test
    void aDuplicateNameIsErroredAndTheFirstKept() {
        FakeProvider first = FakeProvider.cpu("cpu", 100);
        FakeProvider second = FakeProvider.cpu("cpu", 500);
        DeviceRegistry registry = DeviceRegistry.of(List.of(first, second));
        List<BackendStatus> all = registry.backends();
        assertEquals(State.AVAILABLE, all.get(0).state());
        assertEquals(State.ERRORED, all.get(1).state());
        assertContains(all.get(1).details(), "unique", "'cpu'");
        assertEquals(0, second.loads.get(), "a duplicate is not loaded");
        assertEquals(1, registry.devices().size());
    }

    @Test
    void invalidNamesAndBadBackendsAreErrored() {
        FakeProvider wrongIds = FakeProvider.loading("good", 1, new FakeDevice("other:0", DeviceKind.CPU));
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.cpu("OpenCL", 1), FakeProvider.loading("empty", 1), wrongIds));
        List<BackendStatus> all = registry.backends();
        assertTrue(all.stream().allMatch(s -> s.state() == State.ERRORED), all.toString());
        assertContains(all.get(0).details(), "invalid name 'OpenCL'");
        assertContains(all.get(1).details(), "no devices");
        assertContains(all.get(2).details(), "other:0", "'good'");
        assertTrue(wrongIds.closed.get(), "a rejected backend is closed");
    }

    @Test
    void aGpuIsPreferredOverACpuWhateverThePriority() {
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.cpu("cpu", 1000), FakeProvider.gpu("opencl-slow", 1)));
        assertEquals("opencl-slow:0", registry.defaultDevice(null).id());
        assertEquals("opencl-slow:0", registry.defaultDevice("  ").id());
    }

    @Test
    void priorityBreaksTiesWithinAKind() {
        for (List<FakeProvider> order : List.of(
                List.of(FakeProvider.gpu("opencl-aparapi", 150), FakeProvider.gpu("opencl-jocl", 200), FakeProvider.cpu("cpu", 100)),
                List.of(FakeProvider.cpu("cpu", 100), FakeProvider.gpu("opencl-jocl", 200), FakeProvider.gpu("opencl-aparapi", 150)))) {
            DeviceRegistry registry = DeviceRegistry.of(order);
            assertEquals(List.of("opencl-jocl:0", "opencl-aparapi:0", "cpu"), ids(registry));
            assertEquals("opencl-jocl:0", registry.defaultDevice(null).id());
        }
    }

    @Test
    void anAcceleratorRanksBetweenGpusAndCpus() {
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.cpu("cpu", 900),
                FakeProvider.loading("npu", 1, new FakeDevice("npu", DeviceKind.ACCELERATOR)), FakeProvider.gpu("gpu", 1)));
        assertEquals(List.of("gpu:0", "npu", "cpu"), ids(registry));
    }

    @Test
    void aBackendKeepsTheOrderOfItsDevices() {
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.loading("opencl-jocl", 200,
                new FakeDevice("opencl-jocl:1", DeviceKind.GPU), new FakeDevice("opencl-jocl:0", DeviceKind.GPU))));
        assertEquals(List.of("opencl-jocl:1", "opencl-jocl:0"), ids(registry));
    }

    @Test
    void anOverridePicksTheNamedDevice() {
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.gpu("opencl-jocl", 200), FakeProvider.cpu("cpu", 100)));
        assertEquals("cpu", registry.defaultDevice("cpu").id());
        assertEquals("cpu", registry.defaultDevice(" cpu\n").id());
        assertSame(registry.get("opencl-jocl:0"), registry.defaultDevice("opencl-jocl:0"));
    }

    @Test
    void anUnknownOverrideListsDevicesAndUnavailableBackends() {
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.cpu("cpu", 100),
                FakeProvider.failing("opencl-jocl", new BackendUnavailableException(NO_OPENCL)),
                FakeProvider.failing("opencl-aparapi", new UnsatisfiedLinkError("no aparapi_x86_64 in java.library.path")),
                FakeProvider.gpu("cuda", 300)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.defaultDevice("opencl-jocl:0"));
        assertContains(e.getMessage(), "'opencl-jocl:0'", "cpu", "cuda:0", "opencl-jocl is unavailable: " + NO_OPENCL,
                "opencl-aparapi is errored", "no aparapi_x86_64");
    }

    @Test
    void noDeviceAtAllSaysWhatToAdd() {
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.failing("opencl-jocl", new BackendUnavailableException(NO_OPENCL))));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> registry.defaultDevice(null));
        assertContains(e.getMessage(), NO_OPENCL, "tessera-backend-cpu");
    }

    @Test
    void theSelectionLineNamesTheChoiceAndEverythingSkipped() {
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.cpu("cpu", 100),
                FakeProvider.failing("opencl-jocl", new BackendUnavailableException(NO_OPENCL)),
                FakeProvider.failing("opencl-aparapi", new NoClassDefFoundError("com/aparapi/Kernel")),
                FakeProvider.gpu("cuda", 300)));
        Device cpu = registry.get("cpu");
        registry.backends();
        String line = registry.selectionLine(cpu, "requested");
        assertContains(line, "Tessera device: cpu", "CPU", cpu.name(), "requested", "opencl-jocl unavailable: " + NO_OPENCL,
                "opencl-aparapi errored", "com/aparapi/Kernel", "cuda:0", "ranked lower");
        String best = registry.selectionLine(registry.defaultDevice(null), "best available");
        assertContains(best, "Tessera device: cuda:0", "best available", "cpu (CPU", "opencl-jocl unavailable");
    }

    @Test
    void aNamedDeviceLoadsOnlyItsBackend() {
        FakeProvider cpu = FakeProvider.cpu("cpu", 300);
        FakeProvider jocl = FakeProvider.gpu("opencl-jocl", 200);
        FakeProvider aparapi = FakeProvider.gpu("opencl-aparapi", 150);
        DeviceRegistry registry = DeviceRegistry.of(List.of(jocl, aparapi, cpu));
        assertEquals("cpu", registry.defaultDevice("cpu").id());
        assertEquals("opencl-aparapi:0", registry.get("opencl-aparapi:0").id());
        assertEquals(List.of(1, 0, 1), List.of(cpu.loads.get(), jocl.loads.get(), aparapi.loads.get()));
        assertEquals("Tessera device: cpu (CPU, fake cpu cpu; requested); skipped: opencl-aparapi:0 (GPU, fake gpu opencl-aparapi:0) ranked lower",
                registry.selectionLine(registry.get("cpu"), "requested"), "the line names what was loaded, nothing else");
    }

    @Test
    void anUnknownDeviceLoadsEveryBackendToSayWhatExists() {
        FakeProvider cpu = FakeProvider.cpu("cpu", 300);
        FakeProvider jocl = FakeProvider.gpu("opencl-jocl", 200);
        DeviceRegistry registry = DeviceRegistry.of(List.of(cpu, jocl));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.get("cpu:1"));
        assertContains(e.getMessage(), "'cpu:1'", "cpu", "opencl-jocl:0");
        assertEquals(1, jocl.loads.get());
    }

    @Test
    void theDefaultSkipsABackendCoveredByOneThatLoaded() {
        FakeProvider cpu = FakeProvider.cpu("cpu", 300);
        FakeProvider jocl = FakeProvider.loading("opencl-jocl", 200, new FakeDevice("opencl-jocl:0", DeviceKind.CPU));
        FakeProvider aparapi = FakeProvider.loading("opencl-aparapi", 150, new FakeDevice("opencl-aparapi:0", DeviceKind.CPU))
                .coveredBy("opencl-jocl");
        DeviceRegistry registry = DeviceRegistry.of(List.of(aparapi, jocl, cpu));
        assertEquals("cpu", registry.defaultDevice(null).id());
        assertEquals(0, aparapi.loads.get(), "covered by opencl-jocl, which loaded");
        assertEquals(1, jocl.loads.get());
        assertEquals(List.of("cpu", "opencl-jocl:0", "opencl-aparapi:0"), ids(registry), "listing every device loads it");
        assertEquals(1, aparapi.loads.get());
    }

    @Test
    void aCoveredBackendLoadsForTheDefaultWhenItsCoverDidNot() {
        FakeProvider jocl = FakeProvider.failing("opencl-jocl", new BackendUnavailableException(NO_OPENCL));
        FakeProvider aparapi = FakeProvider.gpu("opencl-aparapi", 150).coveredBy("opencl-jocl");
        DeviceRegistry registry = DeviceRegistry.of(List.of(FakeProvider.cpu("cpu", 300), jocl, aparapi));
        assertEquals("opencl-aparapi:0", registry.defaultDevice(null).id());
        assertEquals(1, aparapi.loads.get());
        DeviceRegistry alone = DeviceRegistry.of(List.of(FakeProvider.gpu("opencl-aparapi", 150).coveredBy("opencl-jocl")));
        assertEquals("opencl-aparapi:0", alone.defaultDevice(null).id(), "a cover that is not installed covers nothing");
    }

    @Test
    void aProviderThatCannotDescribeItselfIsErrored() {
        BackendProvider broken = new BackendProvider() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public int priority() {
                return 1;
            }

            @Override
            public java.util.Set<String> coveredBy() {
                throw new IllegalStateException("no cover today");
            }

            @Override
            public Backend load() {
                throw new AssertionError("not loaded");
            }
        };
        DeviceRegistry registry = DeviceRegistry.of(List.of(broken, FakeProvider.cpu("cpu", 300)));
        assertEquals("cpu", registry.defaultDevice(null).id());
        assertContains(status(registry, "broken").details(), "no cover today");
    }

    @Test
    void eachProviderLoadsOnceEvenUnderConcurrentFirstUse() throws Exception {
        FakeProvider cpu = FakeProvider.cpu("cpu", 100);
        DeviceRegistry registry = DeviceRegistry.of(List.of(cpu));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<BackendStatus>>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return registry.backends();
                }));
            }
            start.countDown();
            for (Future<List<BackendStatus>> f : results) {
                assertSame(results.get(0).get(), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        registry.devices();
        registry.defaultDevice(null);
        assertEquals(1, cpu.loads.get());
    }

    private static Iterator<BackendProvider> iterator(List<Object> items) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < items.size();
            }

            @Override
            public BackendProvider next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object item = items.get(next++);
                if (item instanceof Error e) {
                    throw e;
                }
                return (BackendProvider) item;
            }
        };
    }
}
