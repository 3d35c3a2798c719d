// The page build (`partner-oauth/page`, pkg/page/) after wasm-opt: it starts
// flows and parses callbacks exactly as the full build does, shares its
// OAuthError class, and carries nothing that sends a request. Loaded here
// with initSync; page.js itself (top-level await of a URL) runs in
// Chromium, tests/consumers/browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as page from "../../pkg/page/partner_oauth.js";
import * as full from "../../pkg/node.js";

page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });

const redirectUri = "https://app.example.com/cb";
const options = { provider: "billit", clientId: "c", redirectUri, stateKey: "k".repeat(32) };

test("a flow started by the page build finishes in the full build, and back", () => {
  const pageClient = new page.OAuthClient(options);
  const fullClient = new full.OAuthClient(options);
  for (const [starter, finisher] of [[pageClient, fullClient], [fullClient, pageClient]]) {
    const { url, state, pending } = starter.startAuthorization({ payload: "user=1&co=2" });
    assert.match(url, /^https:\/\/my\.billit\.be\/Account\/Logon\?client_id=c&redirect_uri=/);
    const got = finisher.parseCallback(`${redirectUri}?code=abc&state=${state}`, pending);
    assert.deepEqual({ code: got.code, payload: got.payload }, { code: "abc", payload: "user=1&co=2" });
  }
});

test("a start names its flow (flowId, flowExpiresAt) as its callback will, in both builds", () => {
  for (const [starter, finisher] of [[new page.OAuthClient(options), new full.OAuthClient(options)], [new full.OAuthClient(options), new page.OAuthClient(options)]]) {
    const before = Date.now();
    const started = starter.startAuthorization();
    assert.deepEqual(Object.keys(started), ["url", "state", "pending", "flowId", "flowExpiresAt"]);
    assert.match(started.flowId, /^[A-Za-z0-9_-]{22}$/);
    // Whole seconds (the state's clock), 600 s by default.
    assert.equal(started.flowExpiresAt % 1000, 0);
    assert.ok(started.flowExpiresAt >= Math.floor(before / 1000) * 1000 + 600_000 && started.flowExpiresAt <= Date.now() + 600_000);
    const got = finisher.parseCallback(`${redirectUri}?code=abc&state=${started.state}`, started.pending);
    assert.deepEqual([got.flowId, got.flowExpiresAt], [started.flowId, started.flowExpiresAt]);
  }
});

test("the same authorize URL byte for byte, given the same state", () => {
  // Both builds share the core; only the random parts differ between runs.
  const strip = (url) => url.replace(/(state|code_challenge)=[^&]+/g, "$1=…");
  const a = new page.OAuthClient({ provider: "payfit", clientId: "c", redirectUri }).startAuthorization({ scopes: ["employees:read"] });
  const b = new full.OAuthClient({ provider: "payfit", clientId: "c", redirectUri }).startAuthorization({ scopes: ["employees:read"] });
  assert.equal(strip(a.url), strip(b.url));
  assert.notEqual(a.url, b.url);
});

test("errors are the full build's OAuthError class, with the same codes", () => {
  const client = new page.OAuthClient(options);
  const { pending } = client.startAuthorization();
  assert.throws(() => client.parseCallback(`${redirectUri}?error=access_denied&state=x`, pending), (e) => {
    assert.ok(e instanceof full.OAuthError);
    assert.equal(e.code, "state_mismatch");
    return true;
  });
  // errorCodes() is JS shared by every entry (pkg/error-codes.js), not a wasm export.
  assert.equal(page.errorCodes, undefined);
  assert.equal(page.pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
});

test("no exchange, token parsing or JWT verification: those run on a server", () => {
  const client = new page.OAuthClient(options);
  for (const method of ["exchangeCode", "refresh", "clientCredentials", "introspect", "revoke", "fetchApi", "codeRequest", "refreshRequest", "parseTokenResponse", "isExpired"]) {
    assert.equal(client[method], undefined, method);
  }
  assert.equal(page.verifyAccessToken, undefined);
});
