package dev.gatehouse.dataplane.tls;

import dev.gatehouse.dataplane.BackendTls;
import dev.gatehouse.dataplane.ServerTls;
import dev.gatehouse.net.TlsDefaults;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.NetUtil;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds Netty TLS contexts from snapshot values. OpenSSL (BoringSSL through netty-tcnative) when it
 * loads on this platform, the JDK's provider otherwise; either way TLS 1.3 and 1.2 only, with AEAD cipher
 * suites and forward secrecy (the Mozilla "intermediate" list), unless a listener's TLS policy says otherwise.
 * Contexts are immutable and thread-safe.
 */
public final class TlsContexts {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private static final List<String> CIPHERS = TlsDefaults.CIPHER_SUITES;
    private static final String[] PROTOCOLS = TlsDefaults.PROTOCOLS.toArray(String[]::new);

    private final boolean preferOpenSsl;
    /** Chosen on first use: loading OpenSSL costs hundreds of classes that a start without TLS need not wait for. */
    private volatile SslProvider provider;

    public TlsContexts(boolean preferOpenSsl) {
        this.preferOpenSsl = preferOpenSsl;
    }

    /**
     * The provider in use, chosen (and logged, {@code TLS provider: ...}) on the first call: OpenSSL when it is
     * preferred and loads, else the JDK's. Thread-safe; a call during the choice waits for it.
     */
    public SslProvider provider() {
        SslProvider chosen = provider;
        if (chosen == null) {
            synchronized (this) {
                chosen = provider;
                if (chosen == null) {
                    chosen = choose();
                    provider = chosen;
                }
            }
        }
        return chosen;
    }

    private SslProvider choose() {
        SslProvider chosen = preferOpenSsl && OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        log.info(
                "TLS provider: {}{}",
                chosen == SslProvider.OPENSSL ? "OpenSSL (netty-tcnative, " + OpenSsl.versionString() + ")" : "JDK",
                preferOpenSsl && chosen == SslProvider.JDK
                        ? " (OpenSSL unavailable: " + OpenSsl.unavailabilityCause() + ")"
                        : "");
        return chosen;
    }

    /** A server context presenting the listener's certificate chain. */
    public SslContext server(ServerTls tls) throws GeneralSecurityException, SSLException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] password = tls.password() == null ? new char[0] : tls.password().toCharArray();
        try {
            store.load(new ByteArrayInputStream(Base64.getMimeDecoder().decode(tls.pkcs12Base64())), password);
        } catch (IOException e) {
            throw new GeneralSecurityException(
                    "the PFX of certificate '" + tls.certificateName() + "' cannot be read", e);
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias) && store.getKey(alias, password) instanceof PrivateKey key) {
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) c);
                }
                ServerTls.Policy policy = tls.policy();
                SslContextBuilder builder = SslContextBuilder.forServer(key, chain)
                        .sslProvider(provider())
                        .protocols(
                                policy == null ? PROTOCOLS : policy.protocols().toArray(String[]::new))
                        .ciphers(policy == null ? CIPHERS : policy.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE);
                if (tls.clientAuth() != null) {
                    builder.clientAuth(ClientAuth.REQUIRE)
                            .trustManager(ClientCertificates.trustManager(tls.clientAuth()));
                }
                SslContext context = builder.build();
                if (policy != null && context.cipherSuites().stream().noneMatch(policy.cipherSuites()::contains)) {
                    // Left to the filter, such a listener would refuse every handshake without saying why.
                    throw new GeneralSecurityException("none of the cipher suites of its TLS policy "
                            + policy.cipherSuites() + " is available with the " + provider() + " TLS provider");
                }
                return context;
            }
        }
        throw new GeneralSecurityException("certificate '" + tls.certificateName() + "' has no private key");
    }

    /** A client context verifying backends against the given roots (or the JDK's trust store). */
    public SslContext client(BackendTls tls) throws GeneralSecurityException, SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider())
                .protocols(PROTOCOLS)
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                // Chains are always verified; the name only when the settings give one to check against.
                .endpointIdentificationAlgorithm(tls.verifiesHostName() ? "HTTPS" : null);
        if (!tls.trustedRoots().isEmpty()) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> roots = new ArrayList<>();
            for (String der : tls.trustedRoots()) {
                roots.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(Base64.getMimeDecoder().decode(der))));
            }
            builder.trustManager(roots);
        }
        return builder.build();
    }

    /**
     * A client handler for one backend connection that sends {@code sniHost} as SNI exactly as given, also
     * a name without a dot ({@code localhost}, a single-label service name): the JDK and Netty send only
     * names with a dot by themselves, so the name is set on the engine explicitly. An IP literal is never
     * sent (TLS does not allow it) but is still the name the certificate is checked against.
     *
     * @param sniHost the SNI and peer host name, or {@code null} for neither
     */
    public static SslHandler clientHandler(SslContext context, ByteBufAllocator alloc, String sniHost, int port) {
        if (sniHost == null) {
            return context.newHandler(alloc);
        }
        SslHandler handler = context.newHandler(alloc, sniHost, port);
        if (NetUtil.createByteArrayFromIpAddressString(sniHost) == null) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            // The encoded form skips the STD3 rules of the String constructor, so a name with an underscore
            // (allowed in service names) is sent as it is too.
            parameters.setServerNames(List.of(new SNIHostName(sniHost.getBytes(StandardCharsets.UTF_8))));
            engine.setSSLParameters(parameters);
        }
        return handler;
    }
}
