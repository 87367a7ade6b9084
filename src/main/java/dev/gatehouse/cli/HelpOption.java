package dev.gatehouse.cli;

import picocli.CommandLine.Option;

/** {@code -h}/{@code --help} on every command: its usage on stdout, exit 0, nothing sent. */
final class HelpOption {

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "This command's usage.")
    boolean help;
}
