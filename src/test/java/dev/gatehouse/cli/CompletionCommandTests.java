package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code gatehouse completion}: a bash completion script that knows every command and its options. */
class CompletionCommandTests {

    @Test
    void theScriptRegistersACompletionForGatehouseWithEveryCommandAndOption() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new Cli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream()),
                        new ByteArrayInputStream(new byte[0]),
                        Map.of())
                .run("completion");

        String script = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(script)
                .startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_gatehouse")
                .contains(
                        "apply", "backend-health", "export", "keygen", "--resource-group", "--if-match", "--parameter");
    }
}
