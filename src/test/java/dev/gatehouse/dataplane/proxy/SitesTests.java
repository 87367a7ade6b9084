package dev.gatehouse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.dataplane.ListenerSpec;
import dev.gatehouse.dataplane.ServerTls;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a socket's Tls listeners are chosen by the client's SNI. */
class SitesTests {

    private final Sites.Site exact = site("exact", "db.example.com");
    private final Sites.Site wildcard = site("wildcard", "*.example.com");
    private final Sites.Site fallback = site("fallback");

    @Test
    void anExactHostNameWinsOverAWildcardListedBeforeIt() {
        Sites sites = new Sites(List.of(wildcard, exact, fallback));
        assertThat(sites.forHostName("db.example.com")).isSameAs(exact);
    }

    @Test
    void hostNamesAreComparedCaseInsensitively() {
        Sites sites = new Sites(List.of(exact, fallback));
        assertThat(sites.forHostName("DB.Example.COM")).isSameAs(exact);
    }

    @Test
    void aWildcardCoversExactlyOneLabel() {
        Sites sites = new Sites(List.of(wildcard));
        assertThat(sites.forHostName("cache.example.com")).isSameAs(wildcard);
        assertThat(sites.forHostName("a.cache.example.com")).isNull();
        assertThat(sites.forHostName("example.com")).isNull();
    }

    @Test
    void theListenerWithoutHostNamesTakesUnmatchedAndMissingSni() {
        Sites sites = new Sites(List.of(exact, wildcard, fallback));
        assertThat(sites.forHostName("db.other.org")).isSameAs(fallback);
        assertThat(sites.forHostName(null)).isSameAs(fallback);
    }

    @Test
    void withoutAListenerForTheNameNoSiteIsChosenAndTheHandshakeFails() {
        Sites sites = new Sites(List.of(exact, wildcard));
        assertThat(sites.forHostName("db.other.org")).isNull();
        assertThat(sites.forHostName(null)).isNull();
        assertThatThrownBy(() -> sites.map("db.other.org")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSoleListenerWithoutHostNamesTakesEveryClientWithoutAnSniLookUp() {
        assertThat(new Sites(List.of(fallback)).soleTlsSite()).isSameAs(fallback);
        assertThat(new Sites(List.of(exact)).soleTlsSite()).isNull();
        assertThat(new Sites(List.of(exact, fallback)).soleTlsSite()).isNull();
    }

    /** A Tls site; its route and TLS context play no part in choosing it. */
    private static Sites.Site site(String name, String... hostNames) {
        ListenerSpec spec = new ListenerSpec(
                name,
                "127.0.0.1",
                5000,
                new ServerTls("cert", "cGZ4", "pw"),
                List.of(hostNames),
                SocketPlanTests.route());
        return new Sites.Site(spec, null, null);
    }
}
