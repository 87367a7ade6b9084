// Regenerates src/main/resources/azure/application-gateway-schema.json: every JSON property path of
// Microsoft.Network/applicationGateways that Microsoft's own SDK (@azure/arm-network, installed in
// src/test/js by `npm ci`) reads from a response, and whether the SDK also sends it (writable) or only
// reads it (readOnly). The SDK is generated from the REST specification (azure-rest-api-specs), so its
// serializers are the specification in executable form: this program runs them on a recording proxy.
//
//   (cd src/test/js && npm ci) && node tools/azure-schema.js
"use strict";
const fs = require("fs");
const path = require("path");
const root = path.resolve(__dirname, "..");
const sdk = path.join(root, "src/test/js/node_modules/@azure/arm-network");
const models = require(path.join(sdk, "dist/commonjs/models/network/models.js"));
const version = require(path.join(sdk, "package.json")).version;
const operations = fs.readFileSync(path.join(sdk, "dist/commonjs/api/applicationGateways/operations.js"), "utf8");
const apiVersion = /apiVersion: "(\d{4}-\d{2}-\d{2})"/.exec(operations)[1];

// Paths deeper than this are inside resources that are not the gateway's (a private endpoint's subnet...):
// their top element decides, so the whole subtree need not be listed.
const MAX_DEPTH = 8;

/** Beyond MAX_DEPTH: an object with no properties (and an empty array), so that deserializers stop. */
const DEPTH_LIMIT = new Proxy({}, {
    get(_, key) { return key === "map" ? () => [] : key === Symbol.toPrimitive ? () => "" : undefined; },
    ownKeys() { return []; },
});

/** A stand-in for any JSON value that records every property read from it, at its JSON path. */
function recorder(seen, at, depth) {
    const target = {};
    return new Proxy(target, {
        get(_, key) {
            if (key === Symbol.toPrimitive) return () => "";
            if (typeof key === "symbol") return undefined;
            if (key === "map") return (f) => { seen.add(at + "[]"); return [f(recorder(seen, at + "[]", depth + 1))]; };
            if (depth >= MAX_DEPTH) return DEPTH_LIMIT;
            const p = at ? at + "." + key : key;
            seen.add(p);
            return recorder(seen, p, depth + 1);
        },
        ownKeys() { return []; },
    });
}

/** The JSON paths of a serializer's output (what the SDK sends). */
function outputPaths(value, at, out) {
    if (Array.isArray(value)) {
        out.add(at + "[]");
        value.forEach((v) => outputPaths(v, at + "[]", out));
    } else if (value && typeof value === "object" && !(value instanceof Date)) {
        for (const [k, v] of Object.entries(value)) {
            if (v === undefined) continue;
            const p = at ? at + "." + k : k;
            out.add(p);
            outputPaths(v, p, out);
        }
    }
}

const read = new Set();
models.applicationGatewayDeserializer(recorder(read, "", 0));
const sent = new Set();
outputPaths(models.applicationGatewaySerializer(recorder(new Set(), "", 0)), "", sent);

const properties = {};
for (const p of [...read].filter((p) => !p.endsWith("[]")).sort()) {
    properties[p] = sent.has(p) ? "writable" : "readOnly";
}
const file = path.join(root, "src/main/resources/azure/application-gateway-schema.json");
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, JSON.stringify({ source: "@azure/arm-network " + version, apiVersion, properties }, null, 1) + "\n");
console.log(file + ": " + Object.keys(properties).length + " paths, api-version " + apiVersion);
