package io.tessera.tck;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/** A kit class that {@link ConformanceKit} does not run would pass unnoticed in every backend: these tests forbid it. */
class KitCoverageTest {

    @Test
    void everyKitClassIsListed() throws IOException, URISyntaxException {
        Set<String> inJar = kitClassesInCodeSource();
        Set<String> listed = ConformanceKit.CLASSES.stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(inJar, listed, "the abstract kit classes found next to ConformanceKit must be exactly ConformanceKit.CLASSES");
    }

    @Test
    void everyListedClassHasOneNestedTest() {
        for (Class<?> kit : ConformanceKit.CLASSES) {
            List<Class<?>> nested = new ArrayList<>();
            for (Class<?> member : ConformanceKit.class.getDeclaredClasses()) {
                if (kit.isAssignableFrom(member) && member.isAnnotationPresent(Nested.class)
                        && Modifier.isPublic(member.getModifiers()) && !Modifier.isStatic(member.getModifiers())) {
                    nested.add(member);
                }
            }
            assertEquals(1, nested.size(), () -> kit.getSimpleName() + " must have exactly one @Nested class in ConformanceKit, has " + nested);
        }
    }

    /** JUnit finds nested classes a test inherits; this holds for the JUnit version the kit declares. */
    @Test
    void junitRunsEveryKitClassOfASubclass() {
        Launcher launcher = LauncherFactory.create();
        TestPlan plan = launcher.discover(request().selectors(selectClass(ReferenceBackendConformanceTest.class)).build());
        Set<String> containers = new HashSet<>();
        Map<String, Long> tests = new java.util.HashMap<>();
        for (TestIdentifier root : plan.getRoots()) {
            walk(plan, root, containers, tests);
        }
        for (Class<?> kit : ConformanceKit.CLASSES) {
            String nested = kit.getSimpleName().replace("ConformanceTest", "Tests");
            assertTrue(containers.contains(nested), () -> "no nested container " + nested + " discovered; found " + containers);
            assertTrue(tests.getOrDefault(nested, 0L) > 0, () -> nested + " has no tests");
        }
    }

    private static void walk(TestPlan plan, TestIdentifier id, Set<String> containers, Map<String, Long> tests) {
        for (TestIdentifier child : plan.getChildren(id)) {
            if (child.isContainer()) {
                containers.add(child.getDisplayName());
                long count = countTests(plan, child);
                tests.merge(child.getDisplayName(), count, Long::sum);
            }
            walk(plan, child, containers, tests);
        }
    }

    private static long countTests(TestPlan plan, TestIdentifier id) {
        long n = 0;
        for (TestIdentifier child : plan.getChildren(id)) {
            n += child.isTest() ? 1 : countTests(plan, child);
        }
        return n;
    }

    private static Set<String> kitClassesInCodeSource() throws IOException, URISyntaxException {
        Path location = Path.of(ConformanceKit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(location)) {
            collect(location, location.resolve("io/tessera/tck"), names);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                collect(jar.getPath("/"), jar.getPath("/io/tessera/tck"), names);
            }
        }
        return names;
    }

    private static void collect(Path root, Path dir, Set<String> names) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.contains("$")) {
                    continue;
                }
                Class<?> type = load(name);
                if (ConformanceTestBase.class.isAssignableFrom(type) && type != ConformanceTestBase.class
                        && Modifier.isAbstract(type.getModifiers()) && Modifier.isPublic(type.getModifiers())) {
                    names.add(name);
                }
            }
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, KitCoverageTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " listed in the kit's classes but not loadable", e);
        }
    }
}
