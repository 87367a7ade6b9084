package dev.gatehouse.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command-line client, in the same jar as the server: {@code java -jar gatehouse.jar apply -f gw.json --wait}.
 * It speaks only the documented REST API, so what it does a curl script can do too. Exit codes are part of
 * its contract (see {@link ExitCode} and docs/cli.md).
 */
public final class Cli {

    private final Terminal terminal;

    Cli(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
        this.terminal = new Terminal(out, err, in, env);
    }

    /**
     * Whether {@code args} ask for the client rather than the server. The server's arguments are Spring's
     * {@code --property=value} options, so the server runs for no arguments, or when the first one starts with
     * {@code --} and is not one of the client's own top-level options ({@code --help}, {@code --version}).
     * Anything else ({@code apply ...}, {@code help}, {@code -h}, {@code -V}, a mistyped command) is the client's,
     * which never starts a server and says what it did not understand.
     */
    public static boolean isCommand(String[] args) {
        if (args.length == 0) {
            return false;
        }
        String first = args[0];
        if (!first.startsWith("--")) {
            return true;
        }
        if (first.contains("=")) {
            // A Spring property (--server.port=9090): building the client's command model to rule out its own
            // options would cost the server's start-up about a second, and none of them takes "=".
            return false;
        }
        Map<String, OptionSpec> own = new CommandLine(GatehouseCommand.class, new Factory(null))
                .getCommandSpec()
                .optionsMap();
        return own.containsKey(first);
    }

    public static int main(String[] args, PrintStream out, PrintStream err) {
        return new Cli(out, err, System.in, System.getenv()).run(args);
    }

    int run(String... args) {
        CommandLine commandLine = commandLine();
        int exit = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        terminal.out().flush();
        return exit;
    }

    /** The command tree, printing to this terminal, with its environment as option defaults. */
    CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new GatehouseCommand(terminal), new Factory(terminal));
        commandLine.setOut(new PrintWriter(terminal.out(), true));
        commandLine.setErr(new PrintWriter(terminal.err(), true));
        commandLine.setDefaultValueProvider(new EnvironmentDefaults(terminal.env()));
        commandLine.setParameterExceptionHandler(this::invalid);
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> failed(e));
        lowercaseUsage(commandLine);
        return commandLine;
    }

    /** "usage: gatehouse ...", as before picocli, so scripts and docs that grep for it keep working. */
    private static void lowercaseUsage(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage().synopsisHeading("usage: ");
        commandLine.getSubcommands().values().forEach(Cli::lowercaseUsage);
    }

    private int invalid(ParameterException e, String[] args) {
        CommandLine where = e.getCommandLine();
        terminal.note(message(e));
        terminal.err()
                .println("Try 'gatehouse " + (where.getParent() == null ? "" : where.getCommandName() + " ")
                        + "--help'.");
        return ExitCode.INVALID;
    }

    /** Picocli's messages, worded as the client's were before it (CliArgumentsTests pins them). */
    private static String message(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            String arg = unmatched.getUnmatched().get(0);
            if (e.getCommandLine().getParent() == null && !arg.startsWith("-")) {
                return "unknown command '" + arg + "'";
            }
            if (arg.startsWith("--")) {
                return "unknown option '" + arg.split("=", 2)[0] + "'";
            }
            return "unexpected argument '" + arg + "'";
        }
        if (e instanceof MissingParameterException missing) {
            List<ArgSpec> specs = missing.getMissing();
            if (specs.size() == 1
                    && specs.get(0) instanceof OptionSpec option
                    && e.getMessage().startsWith("Missing required parameter for option")) {
                return "option '" + option.longestName() + "' needs a value";
            }
        }
        return e.getMessage();
    }

    private int failed(Exception e) throws Exception {
        if (e instanceof UsageException) {
            terminal.note(e.getMessage());
            return ExitCode.INVALID;
        }
        if (e instanceof RestClient.Unreachable) {
            terminal.note(e.getMessage());
            return ExitCode.OTHER;
        }
        throw e;
    }

    /** Makes the commands with their {@link Terminal}; everything else (mixins, help) as picocli does. */
    private record Factory(Terminal terminal) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> withTerminal = type.getDeclaredConstructor(Terminal.class);
                withTerminal.setAccessible(true);
                return withTerminal.newInstance(terminal);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
