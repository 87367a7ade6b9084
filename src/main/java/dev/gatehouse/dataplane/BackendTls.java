package dev.gatehouse.dataplane;

import java.util.List;

/**
 * TLS from the gateway to the backend servers, opened after the PROXY header when there is one.
 *
 * @param sniHostName      the SNI (and the name the certificate must carry), or {@code null}
 * @param sniFromAddress   use each server's own address (its host name or IP) as the SNI instead
 * @param trustedRoots     certificates (base64 DER) that may anchor the backend's chain; empty means the
 *                         JDK's default trust store
 */
public record BackendTls(String sniHostName, boolean sniFromAddress, List<String> trustedRoots) {

    public BackendTls {
        trustedRoots = List.copyOf(trustedRoots);
    }

    /** Whether the backend certificate is checked against a host name (always, when one is known). */
    public boolean verifiesHostName() {
        return sniHostName != null || sniFromAddress;
    }
}
