package dev.gatehouse;

import dev.gatehouse.gateway.store.AppliedCopies;
import dev.gatehouse.reconcile.ProbeSettings;
import dev.gatehouse.runtime.DataPlaneConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Every setting that decides what a start serves from the applied copies, bound as the application binds them:
 * where the copies are ({@code gatehouse.restore.*}), the key their secrets are encrypted with
 * ({@code gatehouse.security.encryption-key}), the data plane ({@code gatehouse.dataplane.*}) and the probe
 * defaults the translator fills in ({@code gatehouse.probe.*}). Two starts with equal inputs serve the same
 * listeners the same way; {@link #differences} names what differs, never a value (the key is a secret).
 */
record RestoreInputs(
        AppliedCopies.Settings restore,
        String encryptionKey,
        DataPlaneConfiguration.Properties dataPlane,
        ProbeSettings probe) {

    static RestoreInputs bind(Binder binder) {
        return new RestoreInputs(
                binder.bindOrCreate("gatehouse.restore", AppliedCopies.Settings.class),
                binder.bind("gatehouse.security.encryption-key", String.class).orElse(null),
                binder.bindOrCreate("gatehouse.dataplane", DataPlaneConfiguration.Properties.class),
                binder.bindOrCreate("gatehouse.probe", ProbeSettings.class));
    }

    /** The prefixes of the settings that differ from {@code other}'s; empty when they serve alike. */
    List<String> differences(RestoreInputs other) {
        List<String> differ = new ArrayList<>();
        if (!restore.equals(other.restore)) {
            differ.add("gatehouse.restore");
        }
        if (!Objects.equals(encryptionKey, other.encryptionKey)) {
            differ.add("gatehouse.security.encryption-key");
        }
        if (!dataPlane.equals(other.dataPlane)) {
            differ.add("gatehouse.dataplane");
        }
        if (!probe.equals(other.probe)) {
            differ.add("gatehouse.probe");
        }
        return differ;
    }

    /** Without the key's value. */
    @Override
    public String toString() {
        return "RestoreInputs[restore=" + restore + ", encryptionKey=" + (encryptionKey == null ? "none" : "(set)")
                + ", dataPlane=" + dataPlane + ", probe=" + probe + "]";
    }
}
