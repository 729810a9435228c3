package io.tessera.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The epoch lines number epochs from 1 through the run, name the evaluated set, and round every figure. */
class ProgressPrinterTest {
    private static EpochResult epoch(int epoch, double lr) {
        return new EpochResult(epoch, lr, 0.123456789, new EvalResult(0.0987654321, 0.9693999886512756, 10_000, 0.5), 1.23456, 12345.678);
    }

    @Test
    void epochsNumberFromOneAndFiguresAreRounded() {
        assertEquals("Epoch [1], val_loss: 0.0988, val_acc: 0.9694 (train_loss 0.1235, lr 0.0002401, 1.23 s, 12,346 samples/s)",
                ProgressPrinter.line(epoch(0, 2.4009999999999995E-4)));
        assertEquals("Epoch [6], test_loss: 0.0988, test_acc: 0.9694 (train_loss 0.1235, lr 0.5000, 1.23 s, 12,346 samples/s)",
                ProgressPrinter.line(epoch(5, 0.5), ProgressPrinter.TEST));
    }

    @Test
    void theSecondRatePhaseNumbersOn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0, false, ProgressPrinter.TEST);
        for (EpochResult r : List.of(epoch(0, 0.5), epoch(1, 0.5), epoch(2, 0.1), epoch(3, 0.1))) {
            p.onEpochEnd(r);
        }
        List<String> numbers = bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.substring(0, l.indexOf(','))).toList();
        assertEquals(List.of("Epoch [1]", "Epoch [2]", "Epoch [3]", "Epoch [4]"), numbers);
    }
}
