package io.tessera.examples.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Numeric flags are parsed with a range; a refusal names the flag, the value and the range, never "overflow". */
class NumericFlagsTest {
    private static Options.Parsed parse(String... args) {
        Options options = new Options("train", "Trains.").value("epochs", "N", "10", "epochs").value("lr", "RATE", "0.1", "rate")
                .value("seed", "N", "1", "seed");
        TrainingFlags.checkpoints(options);
        return options.parse(args);
    }

    private static void assertRefused(String expected, Runnable r) {
        UsageException e = assertThrows(UsageException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void anIntegerTooLargeForAnIntNamesTheFlagTheValueAndTheRange() {
        assertRefused("flag --epochs must be an integer from 0 to 100,000, got 99999999999",
                () -> parse("--epochs", "99999999999").integer("epochs", 0, TrainingFlags.MAX_EPOCHS));
        assertRefused("flag --epochs must be an integer of at least 0 (at most 2,147,483,647), got 99999999999999999999999",
                () -> parse("--epochs", "99999999999999999999999").integer("epochs", 0));
        assertRefused("flag --seed must be a 64-bit integer, got 99999999999999999999999",
                () -> parse("--seed", "99999999999999999999999").longValue("seed"));
    }

    @Test
    void negativeAndNonNumericValuesAreRefused() {
        assertRefused("flag --epochs must be an integer of at least 0 (at most 2,147,483,647), got -3", () -> parse("--epochs", "-3").integer("epochs", 0));
        assertRefused("flag --epochs must be an integer of at least 0 (at most 2,147,483,647), got 'ten'", () -> parse("--epochs", "ten").integer("epochs", 0));
        assertRefused("flag --lr must be a finite number above 0.0, got -1", () -> parse("--lr", "-1").number("lr", 0));
        assertRefused("flag --lr must be a finite number above 0.0, got NaN", () -> parse("--lr", "NaN").number("lr", 0));
        assertRefused("flag --lr must be a finite number above 0.0, got 1e999", () -> parse("--lr", "1e999").number("lr", 0));
    }

    @Test
    void checkpointFlagsAreRangeChecked() {
        String dir = System.getProperty("java.io.tmpdir") + "/tessera-numeric-flags-test";
        UsageException every = assertThrows(UsageException.class,
                () -> TrainingFlags.checkpoints(parse("--checkpoint-dir", dir, "--checkpoint-every", "1e300"), java.util.Map.of(), java.util.Map.of()));
        assertTrue(every.getMessage().startsWith("flag --checkpoint-every must be a number from 0.0 to 525600.0, got 1e300"), every.getMessage());
        UsageException keep = assertThrows(UsageException.class,
                () -> TrainingFlags.checkpoints(parse("--checkpoint-dir", dir, "--keep", "0"), java.util.Map.of(), java.util.Map.of()));
        assertEquals("flag --keep must be an integer from 1 to 10,000, got 0", keep.getMessage());
    }
}
