package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code completion}: a bash completion script for every command and option (zsh loads it with bashcompinit). */
@Command(
        name = "completion",
        description = {
            "Print a bash/zsh completion script: "
                    + "gatehouse completion > /etc/bash_completion.d/gatehouse (zsh: autoload bashcompinit && bashcompinit first)."
        })
final class CompletionCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    CompletionCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        CommandSpec root = spec.root();
        terminal.out().print(AutoComplete.bash(root.name(), root.commandLine()));
        terminal.out().flush();
        return ExitCode.OK;
    }
}
