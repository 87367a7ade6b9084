package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ClientAccess;
import dev.gatehouse.dataplane.InboundProxy;
import dev.gatehouse.dataplane.ListenerSpec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.util.List;
import java.util.Locale;

/**
 * What one socket serves: a single Tcp listener, or one or more Tls listeners told apart by SNI.
 * Immutable; a new instance replaces the old one when the listener changes, and each connection uses
 * the instance current when it was accepted.
 */
final class Sites implements Mapping<String, SslContext> {

    /** One listener ready to serve: its route state, and its TLS context when it terminates TLS. */
    record Site(ListenerSpec spec, RouteState route, SslContext serverContext) {}

    private final List<Site> sites;
    private final Site fallback;

    Sites(List<Site> sites) {
        this.sites = List.copyOf(sites);
        this.fallback = this.sites.stream()
                .filter(s -> s.spec().hostNames().isEmpty())
                .findFirst()
                .orElse(null);
    }

    boolean terminatesTls() {
        return sites.get(0).spec().terminatesTls();
    }

    List<Site> all() {
        return sites;
    }

    /**
     * The one Tls listener of a socket when it takes every client, whatever its SNI: the handshake then
     * needs no SNI look-up first. {@code null} when host names choose among listeners.
     */
    Site soleTlsSite() {
        return sites.size() == 1 && fallback != null && terminatesTls() ? fallback : null;
    }

    /**
     * The PROXY header expected in front of this socket's connections, or {@code null}: the first listener's
     * (validation makes every listener of one socket agree).
     */
    InboundProxy proxyProtocol() {
        return sites.get(0).spec().proxyProtocol();
    }

    /** Which clients this socket serves, or {@code null} for all: the first listener's, as above. */
    ClientAccess clientAccess() {
        return sites.get(0).spec().clientAccess();
    }

    /** The Tcp listener of a plain socket. */
    Site single() {
        return sites.get(0);
    }

    /**
     * The listener for a client's SNI: an exact host name first, then a {@code *.} wildcard for the first
     * label, then the listener without host names; {@code null} when none applies.
     */
    Site forHostName(String sni) {
        if (sni != null) {
            String host = sni.toLowerCase(Locale.ROOT);
            for (Site s : sites) {
                if (s.spec().hostNames().contains(host)) {
                    return s;
                }
            }
            int dot = host.indexOf('.');
            if (dot > 0) {
                String wildcard = "*" + host.substring(dot);
                for (Site s : sites) {
                    if (s.spec().hostNames().contains(wildcard)) {
                        return s;
                    }
                }
            }
        }
        return fallback;
    }

    /**
     * The listener a connection is counted under before (or without) a TLS handshake choosing one: the one for
     * {@code sni} when one applies ({@code null}: none known yet), else this socket's first listener.
     */
    Site countedUnder(String sni) {
        Site site = forHostName(sni);
        return site != null ? site : sites.get(0);
    }

    /** For Netty's SniHandler: no listener for the name fails the handshake. */
    @Override
    public SslContext map(String sni) {
        Site site = forHostName(sni);
        if (site == null) {
            throw new IllegalArgumentException("no Tls listener for SNI '" + sni + "'");
        }
        return site.serverContext();
    }
}
