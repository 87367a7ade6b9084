package dev.gatehouse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.dataplane.ProxyHeaderV2;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionIdsTests {

    @Test
    void idsShareTheProcessPrefixAndNeverRepeat() {
        Set<String> ids = new HashSet<>();
        String first = ConnectionIds.next();
        String prefix = first.substring(0, first.indexOf('-') + 1);
        for (int i = 0; i < 10_000; i++) {
            String id = ConnectionIds.next();
            assertThat(id).startsWith(prefix).matches("[0-9a-f]{12}-[0-9a-f]+");
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void theLongestIdFitsTheUniqueIdTlv() {
        String longest = ConnectionIds.next().replaceAll("-.*", "-") + Long.toHexString(-1L);
        assertThat(longest).hasSizeLessThanOrEqualTo(ProxyHeaderV2.MAX_UNIQUE_ID);
    }

    @Test
    void everyConnectionHasItsOwnIdAndKeepsIt() {
        ConnectionStats one = new ConnectionStats();
        String id = one.uniqueId();
        assertThat(id).isNotEqualTo(new ConnectionStats().uniqueId());
        assertThat(one.uniqueId()).isSameAs(id);
    }
}
