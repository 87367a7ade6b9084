package dev.gatehouse.dataplane;

/**
 * Stable codes for what applying a snapshot could not do. They appear in a gateway's
 * {@code properties.provisioningError} and in a failed operation's {@code error}; they are not HTTP errors.
 * The table "Apply codes" in docs/api.md gives the meaning of each.
 */
public final class ApplyCodes {

    /** The top-level code of an apply with failures; its details carry one listener code each. */
    public static final String APPLY_FAILED = "ApplyFailed";
    /** A listener's socket could not be bound: the OS refused it, the bind timed out, or another gateway holds it. */
    public static final String LISTENER_BIND_FAILED = "ListenerBindFailed";
    /** A TLS context for a listener's socket could not be built (its certificate, or its backends' trusted roots). */
    public static final String LISTENER_CERTIFICATE_FAILED = "ListenerCertificateFailed";
    /** The stored document could not be translated into a snapshot: nothing of that generation was applied. */
    public static final String TRANSLATION_FAILED = "TranslationFailed";

    private ApplyCodes() {}
}
