package dev.gatehouse.dataplane;

import java.util.List;

/** What applying a snapshot achieved: the listeners that could not be served, each with the reason. */
public record ApplyResult(List<ListenerFailure> failures) {

    public ApplyResult {
        failures = List.copyOf(failures);
    }

    public boolean succeeded() {
        return failures.isEmpty();
    }

    /**
     * @param listener the listener's name
     * @param reason   a sentence for a human, naming the address and port
     * @param code     one of {@link ApplyCodes}, for example {@link ApplyCodes#LISTENER_BIND_FAILED}
     */
    public record ListenerFailure(String listener, String code, String reason) {}
}
