// Node home: the installed package, as a server uses it, doing client
// credentials and a refresh against the local sandbox.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { OAuthClient, OAuthError } from "partner-oauth";
import { startSandbox, sandboxClients } from "partner-oauth/sandbox";

const redirectUri = "http://127.0.0.1:9/callback";
let sandbox;
before(async () => { sandbox = await startSandbox({ redirectUris: [redirectUri] }); });
after(() => sandbox.close());

const client = (provider) => new OAuthClient({
  provider, ...sandboxClients(provider).main, redirectUri, endpoints: sandbox.endpoints(provider),
});

test("client credentials (TropiPay)", async () => {
  const token = await client("tropipay").clientCredentials({ scopes: ["ALLOW_GET_BALANCE"] });
  assert.equal(token.tokenType, "Bearer");
  assert.ok(token.expiresAt > Date.now());
});

test("code, then refresh with rotation (Payout)", async () => {
  const payout = client("payout");
  const { url, pending } = payout.startAuthorization();
  const page = await (await fetch(url)).text();
  const request = page.match(/name="request" value="([^"]+)"/)[1];
  const action = page.match(/action="([^"]+)"/)[1];
  const back = await fetch(new URL(action, url), {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ request, decision: "approve" }),
  });
  const token = await payout.exchangeCode(payout.parseCallback(back.headers.get("location"), pending), pending);
  const refreshed = await payout.refresh(token);
  assert.notEqual(refreshed.refreshToken, token.refreshToken);
  await assert.rejects(payout.refresh(token), (e) => e instanceof OAuthError && e.code === "invalid_grant");
});

test("the package's Node entry needs no init call", async () => {
  const { pkceChallenge } = await import("partner-oauth");
  assert.equal(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
});
