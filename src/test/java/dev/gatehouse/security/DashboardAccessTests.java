package dev.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Who may see the dashboard: its page is public, its data needs the Reader role for every subscription. */
class DashboardAccessTests {

    private static final Caller GLOBAL_READER = new Caller("reader", List.of(Grant.parse("Reader")), 10);
    private static final Caller SCOPED_CONTRIBUTOR = new Caller(
            "ci", List.of(Grant.parse("Contributor:/subscriptions/00000000-0000-0000-0000-000000000000")), 10);

    private static Access get(String path) {
        return Access.of(new MockHttpServletRequest("GET", path));
    }

    @Test
    void thePageAndItsBundledFilesArePublic() {
        for (String path : List.of(
                "/",
                "/dashboard",
                "/dashboard/",
                "/dashboard/index.html",
                "/dashboard/vendor/uplot/uPlot.iife.min.js")) {
            assertThat(get(path).allows(null)).as(path).isTrue();
        }
    }

    @Test
    void theSummaryNeedsAReaderForEverySubscription() {
        Access summary = get("/dashboard/api/summary");
        assertThat(summary.allows(null)).isFalse();
        assertThat(summary.allows(GLOBAL_READER)).isTrue();
        assertThat(summary.allows(SCOPED_CONTRIBUTOR))
                .as("a grant on one subscription sees only that one")
                .isFalse();
        assertThat(summary.describe()).isEqualTo("the Reader role without a scope (for every subscription)");
    }
}
