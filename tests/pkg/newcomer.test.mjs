// Issue 17, the rough edges a first integration hits: each through the
// public API with a stub fetch, named after its item.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OAuthClient, OAuthError } from "../../pkg/node.js";

const redirectUri = "https://app.example/cb";
const endpoints = { authorize: "https://as.example:8443/authorize", token: "https://as.example:8443/token?tenant=t1" };

test("item 4: network_error names the request's origin, never its path or query, and keeps the cause", async () => {
  const cause = Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:8443 while sending rt-secret-1"), { code: "ECONNREFUSED" });
  const c = new OAuthClient({ provider: "custom", clientId: "cid", clientSecret: "sec", redirectUri, endpoints, fetch: async () => { throw new TypeError("fetch failed", { cause }); } });
  await assert.rejects(c.refresh("rt-secret-1"), (e) => {
    assert.ok(e instanceof OAuthError);
    assert.equal(e.code, "network_error");
    assert.equal(e.url, "https://as.example:8443");
    assert.match(e.message, /https:\/\/as\.example:8443/);
    assert.doesNotMatch(e.message, /tenant|\/token/);
    assert.ok(e.cause instanceof Error, "the underlying error is kept");
    assert.match(e.cause.message, /fetch failed/);
    assert.match(`${e.cause.cause?.message}`, /ECONNREFUSED/);
    const printed = JSON.stringify({ message: e.message, cause: e.cause.message, inner: e.cause.cause?.message });
    assert.doesNotMatch(printed, /rt-secret-1/, "scrubbed like every message");
    return true;
  });
});

test("item 5: PayFit introspection sets companyId on the token it was given", async () => {
  const fetch = async () => new Response(JSON.stringify({ active: true, company_id: "co-42", client_id: "cid", scope: "payroll:read" }), { status: 200 });
  const payfit = new OAuthClient({ provider: "payfit", clientId: "cid", clientSecret: "sec", redirectUri, fetch });
  const token = { accessToken: "at-1", tokenType: "Bearer", expiresAt: null, neverExpires: true, refreshToken: null, scopes: [], extra: {}, obtainedAt: 0, companyId: null };
  const result = await payfit.introspect(token);
  assert.equal(result.companyId, "co-42");
  assert.equal(token.companyId, "co-42", "the guide says to store the company with the token");
});

test("item 3: a missing pending value is missing_pending, with the likely causes, in both builds", async () => {
  // The page build, loaded as tests/pkg/page.test.mjs does (page.js itself runs in Chromium).
  const page = await import("../../pkg/page/partner_oauth.js");
  const { readFileSync } = await import("node:fs");
  page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
  const PageClient = page.OAuthClient;
  for (const Client of [OAuthClient, PageClient]) {
    const c = new Client({ provider: "billit", clientId: "cid", redirectUri });
    const { state } = c.startAuthorization();
    for (const pending of [null, undefined, ""]) {
      assert.throws(() => c.parseCallback(`${redirectUri}?code=x&state=${state}`, pending), (e) => {
        assert.ok(e instanceof OAuthError, `${pending}: ${e}`);
        assert.equal(e.code, "missing_pending");
        assert.match(e.message, /another tab|already used|expired/);
        return true;
      });
    }
  }
});

test("item 6: an answer without scope granted the requested scopes, and the token says they were inferred", async () => {
  const fetch = async () => new Response(JSON.stringify({ access_token: "at-1", token_type: "Bearer", expires_in: 3600 }), { status: 200 });
  const tropipay = new OAuthClient({ provider: "tropipay", environment: "sandbox", clientId: "cid", clientSecret: "sec", fetch });
  const token = await tropipay.clientCredentials({ scopes: ["ALLOW_GET_BALANCE"] });
  assert.deepEqual(token.scopes, ["ALLOW_GET_BALANCE"]);
  assert.equal(token.scopesInferred, true);
});
