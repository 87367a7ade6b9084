package dev.gatehouse.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi.Response;
import dev.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** What a client written for Azure sends (api-versions, UpdateTags), over a real socket against the whole app. */
class AzureFidelityIntegrationTests extends ApiIntegrationTest {

    private static TestGateway gateway(String name) {
        return TestGateway.named(name).listen("127.0.0.1", FreePorts.next()).backends(9, "127.0.0.1");
    }

    @Test
    void theApiVersionOfMicrosoftsCurrentSdksIsAccepted() {
        TestGateway gw = gateway("azure-newest-version");
        Response created = api.put(gw.path() + "?api-version=2026-01-01", gw.json());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(api.getRaw(gw.path() + "?api-version=2023-02-01").status()).isEqualTo(200);
    }

    @Test
    void anUnsupportedApiVersionGetsArmsErrorListingTheSupportedOnesNewestFirst() {
        Response r = api.getRaw(gateway("azure-old-version").path() + "?api-version=2022-01-01");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("InvalidApiVersionParameter");
        assertThat(r.json().path("error").path("message").asString())
                .startsWith("The api-version '2022-01-01' is invalid. The supported versions are '2026-01-01,2025-12-01,")
                .contains(",2023-02-01'.");
    }

    @Test
    void patchReplacesTheTagsOnlyAndAnswers200WithTheGateway() {
        TestGateway gw = gateway("azure-update-tags");
        Response created = api.apply(gw);

        Response patched = api.patch(gw.path(), "{\"tags\":{\"env\":\"prod\",\"team\":\"net\"}}");

        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("tags").path("env").asString()).isEqualTo("prod");
        assertThat(patched.json().path("id").asString()).isEqualTo(gw.path());
        assertThat(patched.etag()).isNotEqualTo(created.etag());
        Response read = api.get(gw.path());
        assertThat(read.json().path("tags").size()).isEqualTo(2);
        assertThat(read.json().path("properties").path("listeners")).isEqualTo(created.json().path("properties")
                .path("listeners"));

        Response cleared = api.patch(gw.path(), "{\"tags\":{}}");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().has("tags")).isFalse();
    }

    @Test
    void patchOnAMissingGatewayIs404AndATypoInItsBodyIs400() {
        TestGateway gw = gateway("azure-update-tags-missing");
        Response missing = api.patch(gw.path(), "{\"tags\":{\"env\":\"prod\"}}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("ResourceNotFound");

        api.apply(gw);
        Response typo = api.patch(gw.path(), "{\"tag\":{\"env\":\"prod\"}}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.errorCode()).isEqualTo("UnknownProperty");
    }
}
