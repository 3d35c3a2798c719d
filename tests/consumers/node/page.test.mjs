// partner-oauth/page imported in Node, as a newcomer's server-side test or
// script would: the `node` condition reads the wasm from disk (page.js's
// fetch of a file: URL failed in Node), and it throws the full build's class.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as page from "partner-oauth/page";
import * as full from "partner-oauth";

test("partner-oauth/page loads in Node: a flow started by it finishes in the full build", () => {
  const options = { provider: "billit", clientId: "page-node", redirectUri: "http://127.0.0.1:8080/callback" };
  const client = new page.OAuthClient(options);
  const { url, pending } = client.startAuthorization({ payload: "customer=42" });
  const state = new URL(url).searchParams.get("state");
  const callback = `http://127.0.0.1:8080/callback?code=c0de&state=${encodeURIComponent(state)}`;
  assert.equal(client.parseCallback(callback, pending).payload, "customer=42");
  assert.equal(new full.OAuthClient(options).parseCallback(callback, pending).code, "c0de");
  assert.throws(() => new page.OAuthClient({ ...options, provider: "nope" }), (e) => e instanceof full.OAuthError && e.code === "unknown_provider");
  client.free();
});
