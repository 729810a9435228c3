package io.tessera.examples.report;

import io.tessera.train.EpochResult;
import io.tessera.train.EvalResult;
import io.tessera.train.ProgressPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON report names test-set figures test_, and numbers epochs from 1 through both rate phases. */
class RunReportTest {
    @TempDir
    Path dir;

    private static EpochResult epoch(int epoch, double lr) {
        return new EpochResult(epoch, lr, 0.5, new EvalResult(0.25, 0.9, 100, 0.1), 1, 100);
    }

    @Test
    void figuresOfTheTestSetAreLabelledTestAndEpochsNumberOn() throws IOException {
        List<EpochResult> history = List.of(epoch(0, 0.5), epoch(1, 0.5), epoch(2, 0.1));
        Path file = dir.resolve("r.json");
        new RunReport(null, history, history.get(2).validation(), 3, ProgressPrinter.TEST).writeJson(file, Map.of());
        String json = Files.readString(file).replaceAll("\\s", "");
        assertTrue(json.contains("\"epoch\":1,") && json.contains("\"epoch\":2,") && json.contains("\"epoch\":3,"), json);
        assertFalse(json.contains("\"epoch\":0,"), json);
        assertTrue(json.contains("\"test_acc\":0.9,") && json.contains("\"test_loss\":0.25,"), json);
        assertFalse(json.contains("\"val_"), json);
    }

    @Test
    void aValidationSplitKeepsItsValLabels() throws IOException {
        Path file = dir.resolve("v.json");
        new RunReport(null, List.of(epoch(0, 0.5)), new EvalResult(0.3, 0.8, 100, 0.1), 1).writeJson(file, Map.of());
        assertTrue(Files.readString(file).replaceAll("\\s", "").contains("\"val_acc\":0.9"));
    }
}
