package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse}: the commands; without one, exit 2 with the usage. */
@Command(
        name = "gatehouse",
        versionProvider = VersionCommand.Provider.class,
        description = {
            "The Gatehouse command-line client (java -jar gatehouse.jar COMMAND also works). It speaks the "
                    + "documented REST API only. Results go to stdout, progress and errors to stderr."
        },
        subcommands = {
            ApplyCommand.class,
            GetCommand.class,
            SetCommand.class,
            ListCommand.class,
            DeleteCommand.class,
            ValidateCommand.class,
            WaitCommand.class,
            StopCommand.class,
            StartCommand.class,
            BackendHealthCommand.class,
            ExportCommand.class,
            KeygenCommand.class,
            CompletionCommand.class,
            VersionCommand.class,
            HelpCommand.class
        },
        commandListHeading = "%ncommands:%n",
        footerHeading = "%nexit codes:%n",
        footer = {
            "  0  done (with --wait: the data plane serves the change)",
            "  1  other error: server unreachable, 5xx, 401/403",
            "  2  invalid request (400) or command line",
            "  3  precondition failed or conflict (412, 409, operation Canceled)",
            "  4  not found",
            "  5  --wait or wait timed out (the change is stored)",
            "  6  stored, but the data plane could not apply it (Failed)",
            "",
            "gatehouse help COMMAND (or gatehouse COMMAND --help) shows a command's options."
        })
final class GatehouseCommand implements Callable<Integer> {

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "This text.")
    boolean help;

    @Option(
            names = {"-V", "--version"},
            versionHelp = true,
            description = "The version of this build.")
    boolean version;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    GatehouseCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        terminal.note("no command given");
        spec.commandLine().usage(terminal.err());
        return ExitCode.INVALID;
    }
}
