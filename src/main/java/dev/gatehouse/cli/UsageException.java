package dev.gatehouse.cli;

/** A command line that cannot be run: exit code 2, nothing sent. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
