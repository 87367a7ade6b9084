package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

/** {@code version} (and the top-level {@code --version}): {@code gatehouse <version>} of this build. */
@Command(
        name = "version",
        description = {"The version of this build. Needs no server."})
final class VersionCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    private final Terminal terminal;

    VersionCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    static String line() {
        return "gatehouse " + Version.current();
    }

    @Override
    public Integer call() {
        terminal.out().println(line());
        return ExitCode.OK;
    }

    /** What {@code --version} prints: the same line. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line()};
        }
    }
}
