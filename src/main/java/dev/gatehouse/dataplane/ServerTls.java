package dev.gatehouse.dataplane;

import java.util.Objects;

/**
 * TLS termination on a listener: the listener certificate as the document carries it (base64 PKCS#12 and
 * its password). Value equality, so an unchanged certificate keeps its TLS context across applies.
 *
 * @param certificateName the sslCertificates entry's name, for logs
 */
public record ServerTls(String certificateName, String pkcs12Base64, String password) {

    public ServerTls {
        Objects.requireNonNull(pkcs12Base64, "pkcs12Base64");
    }

    @Override
    public String toString() {
        return "ServerTls[" + certificateName + "]";
    }
}
