package io.tessera.examples.spark;

import io.tessera.examples.cli.Options;
import io.tessera.examples.cli.UsageException;
import io.tessera.parallel.Synchronization;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkOptionsTest {

    private static SparkOptions parse(String... args) {
        return SparkOptions.from(SparkOptions.declare(new Options("test", "a test command")).parse(args));
    }

    @Test
    void withoutSparkThereAreNoOptions() {
        assertNull(parse());
    }

    @Test
    void masterModeAndWorkers() {
        SparkOptions o = parse("--spark", "local[2]", "--spark-mode", "average", "--average-every", "4", "--workers", "2");
        assertEquals("local[2]", o.master());
        assertEquals(2, o.workers());
        assertEquals(Synchronization.average(4), o.sync());
        assertEquals(Synchronization.allReduce(), parse("--spark", "local[2]").sync());
    }

    @Test
    void sparkFlagsWithoutSparkOrTheWrongModeAreUsageErrors() {
        var e = assertThrows(UsageException.class, () -> parse("--spark-mode", "average"));
        assertTrue(e.getMessage().contains("--spark-mode applies only with --spark"), e.getMessage());
        e = assertThrows(UsageException.class, () -> parse("--spark", "local[2]", "--average-every", "4"));
        assertTrue(e.getMessage().contains("only with --spark-mode average"), e.getMessage());
        assertThrows(UsageException.class, () -> parse("--spark", "local[2]", "--spark-mode", "ring"));
        assertThrows(UsageException.class, () -> parse("--spark", "local[2]", "--spark-mode", "average", "--average-every", "0"));
    }
}
