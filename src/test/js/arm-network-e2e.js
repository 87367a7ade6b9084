// Drives Microsoft's own SDK, @azure/arm-network, unmodified, against a running Gatehouse: the endpoint and a
// static token are the only things that differ from a script written for Azure. Run by AzureSdkIntegrationTests:
//
//   node arm-network-e2e.js <endpoint> <subscriptionId> <resourceGroup> <gateway> <listenPort> <backendPort>
//
// Prints one line per step and exits non-zero on the first failure. Needs `npm ci` in this folder.
"use strict";
const assert = require("node:assert/strict");
const { NetworkManagementClient } = require("@azure/arm-network");

const [endpoint, subscriptionId, resourceGroup, name, listenPort, backendPort] = process.argv.slice(2);
// Gatehouse without API keys accepts any bearer token from loopback (docs/security.md).
const credential = { getToken: async () => ({ token: "gatehouse-sdk-test", expiresOnTimestamp: Date.now() + 3600e3 }) };
const client = new NetworkManagementClient(credential, subscriptionId, { endpoint });
const gateways = client.applicationGateways;
const id = (kind, child) => `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/`
    + `Microsoft.Network/applicationGateways/${name}/${kind}/${child}`;
const step = (text) => console.log("sdk: " + text);

// A Tcp gateway as the SDK's model writes one (the SDK flattens "properties").
const gateway = {
    location: "westeurope",
    tags: { owner: "sdk" },
    zones: ["1"],
    sku: { name: "Standard_v2", tier: "Standard_v2", capacity: 2 },
    gatewayIPConfigurations: [{ name: "appGatewayIpConfig", subnet: { id: `/subscriptions/${subscriptionId}/resourceGroups/`
        + `${resourceGroup}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/appgw` } }],
    frontendIPConfigurations: [{ name: "fip", privateIPAddress: "127.0.0.1", privateIPAllocationMethod: "Static" }],
    frontendPorts: [{ name: "port", port: Number(listenPort) }],
    listeners: [{ name: "listener", protocol: "Tcp", frontendIPConfiguration: { id: id("frontendIPConfigurations", "fip") },
        frontendPort: { id: id("frontendPorts", "port") } }],
    backendAddressPools: [{ name: "pool", backendAddresses: [{ ipAddress: "127.0.0.1" }] }],
    backendSettingsCollection: [{ name: "settings", protocol: "Tcp", port: Number(backendPort), timeout: 20 }],
    routingRules: [{ name: "rule", ruleType: "Basic", priority: 100, listener: { id: id("listeners", "listener") },
        backendAddressPool: { id: id("backendAddressPools", "pool") },
        backendSettings: { id: id("backendSettingsCollection", "settings") } }],
};

async function main() {
    const created = await gateways.createOrUpdate(resourceGroup, name, gateway, { updateIntervalInMs: 100 });
    assert.equal(created.provisioningState, "Succeeded");
    assert.equal(created.listeners[0].protocol, "Tcp");
    step("createOrUpdate (long-running) -> Succeeded");

    const read = await gateways.get(resourceGroup, name);
    assert.equal(read.name, name);
    assert.equal(read.frontendPorts[0].port, Number(listenPort));
    assert.deepEqual(read.zones, ["1"]);
    assert.equal(read.gatewayIPConfigurations[0].name, "appGatewayIpConfig");
    step("get -> " + read.id);

    const listed = [];
    for await (const g of gateways.list(resourceGroup)) listed.push(g.name);
    assert.ok(listed.includes(name), "list: " + listed);
    const all = [];
    for await (const g of gateways.listAll()) all.push(g.name);
    assert.ok(all.includes(name), "listAll: " + all);
    step("list and listAll -> " + listed.length + " and " + all.length);

    const tagged = await gateways.updateTags(resourceGroup, name, { tags: { owner: "sdk", env: "test" } });
    assert.deepEqual(tagged.tags, { env: "test", owner: "sdk" });
    step("updateTags -> " + JSON.stringify(tagged.tags));

    await gateways.stop(resourceGroup, name, { updateIntervalInMs: 100 });
    assert.equal((await gateways.get(resourceGroup, name)).operationalState, "Stopped");
    await gateways.start(resourceGroup, name, { updateIntervalInMs: 100 });
    assert.equal((await gateways.get(resourceGroup, name)).operationalState, "Running");
    step("stop and start -> Running");

    const health = await gateways.backendHealth(resourceGroup, name, { updateIntervalInMs: 100 });
    const servers = health.backendAddressPools[0].backendHttpSettingsCollection[0].servers;
    assert.equal(servers[0].address, "127.0.0.1");
    step("backendHealth -> " + servers[0].address + " " + servers[0].health);

    await gateways.delete(resourceGroup, name, { updateIntervalInMs: 100 });
    await assert.rejects(gateways.get(resourceGroup, name), (e) => e.statusCode === 404);
    step("delete -> gone");
}

main().then(() => step("all passed"), (e) => {
    console.error("sdk: FAILED: " + (e && e.stack || e));
    process.exit(1);
});
