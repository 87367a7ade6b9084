package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which argument lists run the client and which start the server ({@link Cli#isCommand}). */
class CliDispatchTests {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--help",
                "-h",
                "--version",
                "-V",
                "help",
                "help apply",
                "version",
                "apply -f x.json",
                "get --help",
                "list",
                "stop",
                "start",
                "backend-health",
                "health",
                "export",
                "set listener web",
                "completion",
                "keygen",
                "frobnicate",
                "-x"
            })
    void theseRunTheClient(String args) {
        assertThat(Cli.isCommand(args.split(" "))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--server.port=8081",
                "--spring.profiles.active=postgres",
                "--debug",
                "--gatehouse.dataplane.drain-timeout=1s --server.port=0",
                "--helpful=1"
            })
    void theseStartTheServer(String args) {
        assertThat(Cli.isCommand(args.split(" "))).isFalse();
    }

    @Test
    void noArgumentsStartTheServer() {
        assertThat(Cli.isCommand(new String[0])).isFalse();
    }
}
