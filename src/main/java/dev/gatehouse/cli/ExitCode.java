package dev.gatehouse.cli;

/** The CLI's exit codes; scripts branch on them, so they never change. */
final class ExitCode {

    static final int OK = 0;
    /** Anything else: the server unreachable, a 5xx, an answer the CLI did not expect. */
    static final int OTHER = 1;
    /** The request is invalid (400, or a command line that cannot be run). */
    static final int INVALID = 2;
    /** A precondition failed or a concurrent change got in the way (412, 409, or an operation Canceled). */
    static final int CONFLICT = 3;

    static final int NOT_FOUND = 4;
    /** --wait or wait gave up before the data plane applied the change. */
    static final int TIMED_OUT = 5;
    /** Stored, but the data plane could not apply it (provisioningState or operation Failed). */
    static final int APPLY_FAILED = 6;

    private ExitCode() {}

    static int ofHttpStatus(int status) {
        if (status / 100 == 2) {
            return OK;
        }
        return switch (status) {
            case 400, 413, 415, 422 -> INVALID;
            case 409, 412 -> CONFLICT;
            case 404 -> NOT_FOUND;
            default -> OTHER;
        };
    }
}
