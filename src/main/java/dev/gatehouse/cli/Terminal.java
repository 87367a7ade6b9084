package dev.gatehouse.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command talks to: stdout for the result only (scripts pipe it), stderr for progress and errors, stdin
 * for {@code -f -}, and the environment the option defaults come from. Tests pass their own.
 */
record Terminal(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {

    /** A note on stderr, prefixed so it reads apart from the result. */
    void note(String text) {
        err.println("gatehouse: " + text);
    }
}
