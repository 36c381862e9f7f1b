package dev.tessera.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RegressionDemoTest {

    @Test
    void tinyRunLowersTheHeldOutLoss() {
        RegressionDemo demo = new RegressionDemo();
        int rc = new CommandLine(demo).execute("--samples", "256", "--steps", "200", "--hidden", "16");
        assertTrue(rc == 0);
        assertTrue(demo.finalValidationLoss < 0.5 * demo.initialValidationLoss,
                "validation loss " + demo.initialValidationLoss + " -> " + demo.finalValidationLoss);
    }
}
