#!/usr/bin/env node
// Does the live API answer as its OpenAPI document says? Validates (a) every response the Postman journeys
// received (newman's JSON report, which records the responses) and (b) a set generated from the document:
// every GET route with the demo ids of its parameter examples, and every request body example. Each answer
// must have a documented status, a documented content type, every required documented header, and a body
// that the documented schema accepts (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses).
//
//   node postman/contract-check.js --base-url http://127.0.0.1:5000 [--newman newman.json]
//        [--token je_demo_admin_...] [--steering-token ...] [--expert-token ...]
//        [--write-document openapi.json] [--summary-json out.json] [--verbose yes] [--document file.json]
//
// Prints every mismatch and a line "contract: N passed, N failed"; exits 1 on any mismatch.
"use strict";
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const baseUrl = (args["base-url"] || process.env.BASE_URL || "").replace(/\/$/, "");
if (!baseUrl) {
  console.error("usage: node postman/contract-check.js --base-url URL [--newman report.json] [--token TOKEN]");
  process.exit(2);
}
// The demo admin token (README): admin is in every policy, so every generated request is allowed.
const token = args.token || process.env.CONTRACT_TOKEN || "je_demo_admin_4f9c2a7e1b8d6053c1e7a9f2b4d8e6a1";
const steeringToken = args["steering-token"] || "je_demo_steering_2c7a9e4b6d1f8350a3b9e7c1d5f2a8e4";
const expertToken = args["expert-token"] || "je_demo_expert_nl_9a4d2c8e7f1b3056c5a2e9b4d7f1c3a8";
const methods = ["get", "put", "post", "delete", "patch"];

async function main() {
  // --document checks against a given file instead (e.g. to see that a document that lies fails the check).
  let documentText;
  if (args.document) {
    documentText = fs.readFileSync(args.document, "utf8");
  } else {
    const documentResponse = await fetch(`${baseUrl}/openapi/v1.json`);
    if (documentResponse.status !== 200) throw new Error(`GET /openapi/v1.json answered ${documentResponse.status}`);
    documentText = await documentResponse.text();
  }
  if (args["write-document"]) fs.writeFileSync(args["write-document"], documentText);
  const document = JSON.parse(documentText);

  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const int = (bits) => ({ type: "number", validate: (n) => Number.isInteger(n) && Math.abs(n) < 2 ** (bits - 1) + 1 });
  ajv.addFormat("int32", int(32));
  ajv.addFormat("int64", { type: "number", validate: (n) => Number.isInteger(n) });
  ajv.addFormat("double", { type: "number", validate: () => true });
  ajv.addFormat("float", { type: "number", validate: () => true });
  ajv.addFormat("binary", true);
  ajv.addSchema({ $id: "openapi", components: document.components || {} });

  const routes = [];
  for (const [template, item] of Object.entries(document.paths || {})) {
    const names = [];
    const pattern = new RegExp("^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    }) + "$");
    for (const method of methods) if (item[method]) routes.push({ template, method, pattern, names, operation: item[method] });
  }
  // A literal segment wins over a parameter (/api/evaluations/form before /api/evaluations/{id}).
  routes.sort((a, b) => a.names.length - b.names.length);

  const validators = new Map();
  const validatorFor = (schema) => {
    const key = JSON.stringify(schema);
    if (!validators.has(key)) {
      validators.set(key, ajv.compile({ $id: `response-${validators.size}`, ...rewriteRefs(schema) }));
    }
    return validators.get(key);
  };

  let passed = 0;
  const failures = [];
  const check = (source, method, path, status, headers, bodyText, expect) => {
    const problems = [];
    if (expect !== undefined && status !== expect) problems.push(`expected ${expect}`);
    const route = routes.find((r) => r.method === method.toLowerCase() && r.pattern.test(path.split("?")[0]));
    if (!route) {
      if (path.startsWith("/api")) problems.push("route not in the document");
      else return; // pages and files outside /api are not part of the JSON contract
    } else {
      const responses = route.operation.responses || {};
      const documented = responses[String(status)] || responses[`${String(status)[0]}XX`] || responses.default;
      if (!documented) {
        problems.push(`status ${status} not documented (documented: ${Object.keys(responses).join(", ")})`);
      } else {
        const contentType = (headers["content-type"] || "").split(";")[0].trim().toLowerCase();
        const content = documented.content || {};
        const types = Object.keys(content);
        if (types.length === 0) {
          if (bodyText.length > 0) problems.push(`body given (${contentType}) where none is documented`);
        } else if (!content[contentType]) {
          problems.push(`content type '${contentType}' not documented (documented: ${types.join(", ")})`);
        } else if (/json/.test(contentType)) {
          let body;
          try {
            body = JSON.parse(bodyText);
          } catch {
            problems.push("body is not JSON");
          }
          const schema = content[contentType].schema;
          if (body !== undefined && schema) {
            const validate = validatorFor(schema);
            if (!validate(body)) {
              problems.push(...validate.errors.slice(0, 5).map((e) => `body${e.instancePath} ${e.message}${e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ""}${e.params && e.params.missingProperty ? "" : ""}`));
            }
          }
        }
        for (const [name, header] of Object.entries(documented.headers || {})) {
          if (header.required && !headers[name.toLowerCase()]) problems.push(`documented header ${name} missing`);
        }
      }
    }
    if (problems.length === 0) passed++;
    else failures.push({ source, request: `${method.toUpperCase()} ${path}`, status, problems });
  };

  // (a) What the journeys saw.
  let replayed = 0;
  if (args.newman) {
    const report = JSON.parse(fs.readFileSync(args.newman, "utf8"));
    for (const execution of report.run.executions || []) {
      const request = execution.request;
      const response = execution.response;
      if (!request || !response || typeof response.code !== "number") continue;
      const url = request.url || {};
      const path = "/" + (url.path || []).join("/");
      const headers = Object.fromEntries((response.header || []).map((h) => [h.key.toLowerCase(), h.value]));
      const bytes = response.stream && response.stream.data ? Buffer.from(response.stream.data) : Buffer.alloc(0);
      check(`journey ${execution.item && execution.item.name}`, request.method, path, response.code, headers, bytes.toString("utf8"));
      replayed++;
    }
  }

  // (b) Generated from the document: every GET with demo ids as admin, steering group, a country expert and
  // anonymous; every request-body example as admin (with an Idempotency-Key, then the same key with the body
  // laid out differently: 422); and every JSON body sent as text/plain (415).
  let generated = 0;
  const send = async (source, route, path, { as, body, contentType, headers: extra = {}, expect } = {}) => {
    const headers = { ...extra };
    if (as) headers.authorization = `Bearer ${as}`;
    if (body !== undefined) headers["content-type"] = contentType || "application/json";
    const response = await fetch(baseUrl + path, { method: route.method.toUpperCase(), headers, body });
    const responseHeaders = Object.fromEntries([...response.headers.entries()].map(([k, v]) => [k.toLowerCase(), v]));
    const text = Buffer.from(await response.arrayBuffer()).toString("utf8");
    if (args.verbose) console.log(`  ${source}: ${route.method.toUpperCase()} ${path} → ${response.status}${response.status >= 400 ? " " + text.slice(0, 200) : ""}`);
    check(source, route.method, path, response.status, responseHeaders, text, expect);
    generated++;
  };
  const readers = [["admin", token], ["steeringGroup", steeringToken], ["countryExpert NL", expertToken], ["anonymous", null]];
  for (const route of routes) {
    const operation = route.operation;
    const media = operation.requestBody && operation.requestBody.content && operation.requestBody.content["application/json"];
    const example = media && media.example !== undefined ? media.example : undefined;
    if (route.method !== "get" && !media) continue;
    const parameters = operation.parameters || [];
    let missing = false;
    let path = route.template.replace(/\{([^}]+)\}/g, (_, name) => {
      const parameter = parameters.find((p) => p.in === "path" && p.name === name);
      if (!parameter || parameter.example === undefined) missing = true;
      return parameter ? encodeURIComponent(String(parameter.example)) : name;
    });
    const query = parameters.filter((p) => p.in === "query" && p.example !== undefined)
      .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(p.example))}`);
    if (query.length > 0) path += `?${query.join("&")}`;
    if (missing) {
      failures.push({ source: "document", request: `${route.method.toUpperCase()} ${route.template}`, status: 0, problems: ["a path parameter has no example (demo id)"] });
      continue;
    }
    if (route.method === "get") {
      for (const [who, readerToken] of readers) await send(`GET as ${who}`, route, path, { as: readerToken });
      continue;
    }
    if (example !== undefined && media.schema) {
      // The example must be valid by the document's own request schema before it is sent.
      const validate = validatorFor(media.schema);
      if (validate(example)) passed++;
      else failures.push({ source: "document", request: `${route.method.toUpperCase()} ${route.template} example`, status: 0,
        problems: validate.errors.slice(0, 5).map((e) => `example${e.instancePath} ${e.message}`) });
    }
    await send("text/plain body", route, path, { as: token, body: "plain text", contentType: "text/plain", expect: 415 });
    if (example === undefined) {
      failures.push({ source: "document", request: `${route.method.toUpperCase()} ${route.template}`, status: 0, problems: ["the JSON request body has no example"] });
      continue;
    }
    const key = `contract-check-${process.pid}-${generated}`;
    const idempotency = route.method === "post" ? { "idempotency-key": key } : {};
    await send("body example", route, path, { as: token, body: JSON.stringify(example), headers: idempotency });
    if (route.method === "post") {
      // The same content laid out differently is a different body (the key guards bytes): 422, whatever the route.
      await send("Idempotency-Key reused", route, path, { as: token, body: JSON.stringify(example, null, 2), headers: idempotency, expect: 422 });
    }
  }

  for (const failure of failures) {
    console.log(`✗ ${failure.request} → ${failure.status} [${failure.source}]`);
    for (const problem of failure.problems) console.log(`    ${problem}`);
  }
  console.log(`contract: ${replayed} journey responses and ${generated} generated requests checked against ${routes.length} documented operations`);
  console.log(`contract: ${passed} passed, ${failures.length} failed`);
  if (args["summary-json"]) fs.writeFileSync(args["summary-json"], JSON.stringify({ passed, failed: failures.length }));
  process.exit(failures.length === 0 ? 0 : 1);
}

// Schemas in the document point at "#/components/schemas/X"; compiled on their own they point at the document.
function rewriteRefs(schema) {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (schema && typeof schema === "object") {
    return Object.fromEntries(Object.entries(schema).map(([key, value]) =>
      [key, key === "$ref" && typeof value === "string" && value.startsWith("#/") ? `openapi${value}` : rewriteRefs(value)]));
  }
  return schema;
}

main().catch((error) => {
  console.error(`contract check could not run: ${error.stack || error}`);
  if (args["summary-json"]) fs.writeFileSync(args["summary-json"], JSON.stringify({ passed: 0, failed: 1 }));
  process.exit(1);
});
