package dev.gatehouse.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.generated.ApiClient;
import dev.gatehouse.generated.ApiException;
import dev.gatehouse.generated.ApiResponse;
import dev.gatehouse.generated.api.ApplicationGatewaysApi;
import dev.gatehouse.generated.api.AsyncOperationsApi;
import dev.gatehouse.generated.api.BackendHealthApi;
import dev.gatehouse.generated.api.ProbesApi;
import dev.gatehouse.generated.model.ApplicationGateway;
import dev.gatehouse.generated.model.ApplicationGatewayProperties;
import dev.gatehouse.generated.model.AzureAsyncOperationResult;
import dev.gatehouse.generated.model.BackendAddress;
import dev.gatehouse.generated.model.BackendAddressPoolProperties;
import dev.gatehouse.generated.model.BackendSettingsProperties;
import dev.gatehouse.generated.model.Change;
import dev.gatehouse.generated.model.ChildResourceBackendAddressPoolProperties;
import dev.gatehouse.generated.model.ChildResourceBackendSettingsProperties;
import dev.gatehouse.generated.model.ChildResourceFrontendIpConfigurationProperties;
import dev.gatehouse.generated.model.ChildResourceFrontendPortProperties;
import dev.gatehouse.generated.model.ChildResourceListenerProperties;
import dev.gatehouse.generated.model.ChildResourceProbeProperties;
import dev.gatehouse.generated.model.ChildResourceRoutingRuleProperties;
import dev.gatehouse.generated.model.FrontendIpConfigurationProperties;
import dev.gatehouse.generated.model.FrontendPortProperties;
import dev.gatehouse.generated.model.ListenerProperties;
import dev.gatehouse.generated.model.ProbeProperties;
import dev.gatehouse.generated.model.Reference;
import dev.gatehouse.generated.model.RoutingRuleProperties;
import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.TestGateway;
import java.net.URI;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The committed openapi/openapi.json is complete enough to generate a working client: the build generates
 * a Java client from it (openapi-generator, library "native") and this test drives the running application
 * with nothing but that client, through a gateway's whole life.
 */
class GeneratedClientIntegrationTests extends ApiIntegrationTest {

    private static final String SUB = TestGateway.SUBSCRIPTION;
    private static final String RG = TestGateway.RESOURCE_GROUP;
    private static final String VERSION = "2025-03-01";

    private ApplicationGatewaysApi gateways;
    private ProbesApi probes;
    private AsyncOperationsApi operations;
    private BackendHealthApi health;

    @BeforeEach
    void client() {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://127.0.0.1:" + apiPort);
        gateways = new ApplicationGatewaysApi(client);
        probes = new ProbesApi(client);
        operations = new AsyncOperationsApi(client);
        health = new BackendHealthApi(client);
    }

    private static Reference ref(String gateway, String collection, String name) {
        return new Reference()
                .id("/subscriptions/" + SUB + "/resourceGroups/" + RG
                        + "/providers/Microsoft.Network/applicationGateways/" + gateway + "/" + collection + "/"
                        + name);
    }

    private static ApplicationGateway document(String name, int listenPort, int backendPort) {
        ApplicationGatewayProperties p = new ApplicationGatewayProperties()
                .addFrontendIPConfigurationsItem(new ChildResourceFrontendIpConfigurationProperties()
                        .name("fip")
                        .properties(new FrontendIpConfigurationProperties().privateIPAddress("127.0.0.1")))
                .addFrontendPortsItem(new ChildResourceFrontendPortProperties()
                        .name("port")
                        .properties(new FrontendPortProperties().port(listenPort)))
                .addListenersItem(new ChildResourceListenerProperties()
                        .name("listener")
                        .properties(new ListenerProperties()
                                .protocol(ListenerProperties.ProtocolEnum.TCP)
                                .frontendIPConfiguration(ref(name, "frontendIPConfigurations", "fip"))
                                .frontendPort(ref(name, "frontendPorts", "port"))))
                .addBackendAddressPoolsItem(new ChildResourceBackendAddressPoolProperties()
                        .name("pool")
                        .properties(new BackendAddressPoolProperties()
                                .addBackendAddressesItem(new BackendAddress().ipAddress("127.0.0.1"))))
                .addBackendSettingsCollectionItem(new ChildResourceBackendSettingsProperties()
                        .name("settings")
                        .properties(new BackendSettingsProperties()
                                .protocol(BackendSettingsProperties.ProtocolEnum.TCP)
                                .port(backendPort)
                                .enableL4ClientIpPreservation(true)))
                .addRoutingRulesItem(new ChildResourceRoutingRuleProperties()
                        .name("rule")
                        .properties(new RoutingRuleProperties()
                                .ruleType(RoutingRuleProperties.RuleTypeEnum.BASIC)
                                .priority(100)
                                .listener(ref(name, "listeners", "listener"))
                                .backendAddressPool(ref(name, "backendAddressPools", "pool"))
                                .backendSettings(ref(name, "backendSettingsCollection", "settings"))));
        return new ApplicationGateway().location("westeurope").properties(p);
    }

    /** The operation id and location from an Azure-AsyncOperation URL, fetched through the generated client. */
    private AzureAsyncOperationResult operation(ApiResponse<?> response) throws ApiException {
        String url = response.getHeaders().get("azure-asyncoperation").get(0);
        String[] segments = URI.create(url).getPath().split("/");
        return operations.azureAsyncOperationsGet(
                SUB, segments[segments.length - 3], segments[segments.length - 1], VERSION);
    }

    @Test
    void aGeneratedClientCreatesPollsChangesInspectsAndDeletesAGateway() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            String name = "generated-client";
            ApplicationGateway doc = document(name, FreePorts.next(), backend.port());

            var changes = gateways.applicationGatewaysWhatIf(SUB, RG, name, VERSION, doc)
                    .getChanges();
            assertThat(changes).extracting(Change::getChangeType).containsOnly(Change.ChangeTypeEnum.CREATE);

            ApiResponse<ApplicationGateway> created = gateways.applicationGatewaysCreateOrUpdateWithHttpInfo(
                    SUB, RG, name, VERSION, doc, null, null, null);
            assertThat(created.getStatusCode()).isEqualTo(201);
            assertThat(created.getData().getProperties().getProvisioningState())
                    .isEqualTo(ApplicationGatewayProperties.ProvisioningStateEnum.UPDATING);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> operation(created).getStatus() == AzureAsyncOperationResult.StatusEnum.SUCCEEDED);

            ApplicationGateway stored = gateways.applicationGatewaysGet(SUB, RG, name, VERSION);
            assertThat(stored.getEtag()).startsWith("W/\"");
            assertThat(stored.getProperties()
                            .getBackendSettingsCollection()
                            .get(0)
                            .getProperties()
                            .getEnableL4ClientIpPreservation())
                    .isTrue();
            assertThat(gateways.applicationGatewaysList(SUB, RG, VERSION).getValue())
                    .extracting(ApplicationGateway::getName)
                    .contains(name);

            ChildResourceProbeProperties probe = new ChildResourceProbeProperties()
                    .properties(new ProbeProperties()
                            .protocol(ProbeProperties.ProtocolEnum.TCP)
                            .interval(5)
                            .timeout(5)
                            .unhealthyThreshold(3));
            ChildResourceProbeProperties written =
                    probes.probesCreateOrUpdate(SUB, RG, name, "probe", VERSION, probe, null, null, "wait=10");
            assertThat(written.getEtag()).isNotBlank();
            assertThatThrownBy(() -> probes.probesCreateOrUpdate(
                            SUB, RG, name, "probe", VERSION, probe, "W/\"stale\"", null, null))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(412);
                        assertThat(e.getResponseBody()).contains("PreconditionFailed");
                    });

            assertThat(health.applicationGatewaysBackendHealth(SUB, RG, name, VERSION, null)
                            .getBackendAddressPools())
                    .hasSize(1);

            ApplicationGateway invalid = document(name, 70000, backend.port());
            assertThatThrownBy(() -> gateways.applicationGatewaysCreateOrUpdate(
                            SUB, RG, name, VERSION, invalid, null, null, null))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(400);
                        assertThat(e.getResponseBody()).contains("properties.frontendPorts[0].properties.port");
                    });

            ApiResponse<Void> deleted =
                    gateways.applicationGatewaysDeleteWithHttpInfo(SUB, RG, name, VERSION, null, null);
            assertThat(deleted.getStatusCode()).isIn(200, 202);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> operation(deleted).getStatus() == AzureAsyncOperationResult.StatusEnum.SUCCEEDED);
            assertThatThrownBy(() -> gateways.applicationGatewaysGet(SUB, RG, name, VERSION))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        }
    }
}
