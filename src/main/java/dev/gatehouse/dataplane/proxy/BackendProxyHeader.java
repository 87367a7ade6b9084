package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ClientOrigin;
import dev.gatehouse.dataplane.ProxyHeader;
import dev.gatehouse.dataplane.ProxyHeaderV2;
import dev.gatehouse.dataplane.ProxyProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The PROXY header a route sends to its backend for one client connection: v1 from the connection's
 * {@link ClientOrigin}, or v2 with the TLVs the route asks for, each read from the connection only when asked
 * (nothing is computed for a TLV the route does not send). TLS facts come from the client channel's
 * {@link SslHandler}: the SNI the client sent (as the handshake received it, not lower-cased), the ALPN protocol,
 * the TLS version, the cipher (OpenSSL's name, as HAProxy sends it) and a client certificate's CN. A TLV whose
 * value the connection does not have (a Tcp listener has no TLS; no client sent no SNI) is left out.
 * <p>Runs on the client's event loop; stateless.
 */
final class BackendProxyHeader {

    private BackendProxyHeader() {}

    /**
     * The header in a new buffer owned by the caller, who must write or release it.
     *
     * @param client   the client channel, whose SslHandler (if any) holds the TLS facts
     * @param uniqueId the connection's unique id, or {@code null}
     */
    static ByteBuf encode(
            ByteBufAllocator alloc, ProxyProtocol protocol, ClientOrigin origin, Channel client, String uniqueId) {
        if (protocol.version() == ProxyProtocol.Version.V1) {
            return ProxyHeader.encode(alloc, origin.client(), origin.destination());
        }
        List<ClientOrigin.Tlv> tlvs =
                protocol.tlvs().isEmpty() && protocol.passThroughTlvTypes().isEmpty()
                        ? List.of()
                        : tlvs(protocol, origin, client, uniqueId);
        return ProxyHeaderV2.encode(
                alloc,
                origin.client(),
                origin.destination(),
                tlvs,
                protocol.tlvs().contains(ProxyProtocol.Tlv.CRC32C));
    }

    private static List<ClientOrigin.Tlv> tlvs(
            ProxyProtocol protocol, ClientOrigin origin, Channel client, String uniqueId) {
        List<ClientOrigin.Tlv> tlvs = new ArrayList<>(4);
        SslHandler tls = client.pipeline().get(SslHandler.class);
        SSLSession session = tls == null ? null : tls.engine().getSession();
        for (ProxyProtocol.Tlv kind : protocol.tlvs()) {
            switch (kind) {
                case ALPN -> {
                    String alpn = tls == null ? null : tls.applicationProtocol();
                    if (alpn != null) {
                        tlvs.add(ProxyHeaderV2.text(ProxyHeaderV2.TYPE_ALPN, alpn));
                    }
                }
                case AUTHORITY -> {
                    String sni = sni(session);
                    if (sni != null) {
                        tlvs.add(ProxyHeaderV2.text(ProxyHeaderV2.TYPE_AUTHORITY, sni));
                    }
                }
                case UNIQUE_ID -> {
                    if (uniqueId != null) {
                        tlvs.add(ProxyHeaderV2.text(ProxyHeaderV2.TYPE_UNIQUE_ID, uniqueId));
                    }
                }
                case SSL -> {
                    if (session != null) {
                        tlvs.add(ssl(session));
                    }
                }
                case CRC32C -> {
                    // written last by the encoder, over the whole header
                }
            }
        }
        for (int type : protocol.passThroughTlvTypes()) {
            for (ClientOrigin.Tlv received : origin.tlvs()) {
                if (received.type() == type) {
                    tlvs.add(received);
                }
            }
        }
        return tlvs;
    }

    private static String sni(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    private static ClientOrigin.Tlv ssl(SSLSession session) {
        String commonName = null;
        boolean certificate = false;
        try {
            Certificate[] chain = session.getPeerCertificates();
            certificate = chain.length > 0;
            if (certificate && chain[0] instanceof X509Certificate leaf) {
                commonName = commonName(leaf);
            }
        } catch (SSLPeerUnverifiedException none) {
            // the client presented no certificate
        }
        String cipher = session.getCipherSuite();
        String openSsl = CipherSuiteConverter.toOpenSsl(cipher, false);
        // A peer certificate in an established session passed the trust manager during the handshake.
        return ProxyHeaderV2.ssl(
                certificate, certificate, session.getProtocol(), commonName, openSsl != null ? openSsl : cipher);
    }

    private static String commonName(X509Certificate certificate) {
        try {
            List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if ("CN".equalsIgnoreCase(rdns.get(i).getType())) {
                    return String.valueOf(rdns.get(i).getValue());
                }
            }
        } catch (InvalidNameException unreadable) {
            // no CN to send
        }
        return null;
    }
}
