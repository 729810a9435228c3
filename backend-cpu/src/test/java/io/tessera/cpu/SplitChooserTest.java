package io.tessera.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SplitChooser} follows the faster mode, and follows it again when the load changes which one that is. */
class SplitChooserTest {

    /** Runs {@code calls} calls in which a split multiply-add takes {@code splitNanos} and a serial one {@code serialNanos}; returns the splits. */
    private static int run(SplitChooser chooser, int calls, long splitNanos, long serialNanos) {
        int splits = 0;
        for (int i = 0; i < calls; i++) {
            boolean split = chooser.split();
            chooser.record(split, (split ? splitNanos : serialNanos) * 1000, 1000);
            splits += split ? 1 : 0;
        }
        return splits;
    }

    @Test
    void takesTheFasterModeAndStillTriesTheOther() {
        SplitChooser chooser = new SplitChooser();
        int splits = run(chooser, 320, 1, 2);
        assertTrue(splits >= 320 - 320 / SplitChooser.EXPLORE - 8, "split is twice as fast, yet only " + splits + " of 320 calls split");
        assertTrue(splits < 320, "the slower mode is never tried again: " + chooser);
    }

    @Test
    void switchesWhenTheOtherModeBecomesFaster() {
        SplitChooser chooser = new SplitChooser();
        run(chooser, 200, 1, 2);
        run(chooser, 200, 3, 2);
        int splits = run(chooser, 160, 3, 2);
        assertTrue(splits <= 160 / SplitChooser.EXPLORE + 1, "serial became faster, yet " + splits + " of 160 calls split: " + chooser);
    }

    @Test
    void oneOutlierDoesNotDecide() {
        SplitChooser chooser = new SplitChooser();
        run(chooser, 100, 1, 2);
        chooser.record(true, 1_000_000_000L, 1000);
        int splits = run(chooser, 32, 1, 2);
        assertTrue(splits >= 32 - 32 / SplitChooser.EXPLORE - 1, "one slow split call (a GC pause) turned " + (32 - splits) + " of 32 calls serial");
    }
}
