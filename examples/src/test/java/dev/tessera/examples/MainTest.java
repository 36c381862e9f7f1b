package dev.tessera.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    @Test
    void dispatchesEveryExampleTheReadmeLists() {
        assertEquals(Set.of("clevr-film", "fashion-mnist-cnn", "lenet-mnist", "resnet-cifar", "dcgan", "captioning",
                "regression-demo"), new CommandLine(new Main()).getSubcommands().keySet());
    }
}
