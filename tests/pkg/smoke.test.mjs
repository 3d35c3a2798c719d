// The built package (after wasm-opt) loads and works in Node. cargo test
// never runs wasm-opt, so only this catches an optimizer that breaks the
// module (TOOLCHAIN.md: Debian's wasm-opt does).
import { test } from "node:test";
import assert from "node:assert/strict";
import { OAuthClient, OAuthError, pkceChallenge, errorCodes, providers } from "../../pkg/node.js";

const redirectUri = "https://app.example.com/cb";

test("RFC 7636 Appendix B through the package", () => {
  assert.equal(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
});

test("start and callback round trip with a payload", () => {
  const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri, stateKey: "k".repeat(32) });
  const { url, state, pending } = client.startAuthorization({ payload: "user=1&co=2" });
  assert.match(url, /^https:\/\/my\.billit\.be\/Account\/Logon\?client_id=c&redirect_uri=/);
  const got = client.parseCallback(`${redirectUri}?code=abc&state=${state}`, pending);
  assert.deepEqual({ code: got.code, payload: got.payload }, { code: "abc", payload: "user=1&co=2" });
});

test("errors are OAuthError with a stable code from errorCodes()", () => {
  const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri });
  const { pending } = client.startAuthorization();
  assert.throws(() => client.parseCallback(`${redirectUri}?error=access_denied`, pending), (e) => {
    assert.ok(e instanceof OAuthError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, "OAuthError");
    assert.equal(e.code, "access_denied");
    assert.equal(e.providerCode, "access_denied");
    assert.ok(errorCodes().includes(e.code));
    return true;
  });
});

test("providers() lists every preset the constructor takes, each environment, the default first", () => {
  const listed = providers();
  // The constructor's unknown_provider message names every preset: the same list, in order.
  assert.throws(() => new OAuthClient({ provider: "nope", clientId: "c" }), (e) => {
    assert.equal(e.code, "unknown_provider");
    assert.equal(e.message, `provider must be one of: ${listed.map((p) => p.name).join(", ")}`);
    return true;
  });
  for (const { name, environments } of listed) {
    assert.ok(environments.length > 0, name);
    assert.equal(new OAuthClient({ provider: name, clientId: "c" }).environment, environments[0]);
    for (const environment of environments) {
      assert.equal(new OAuthClient({ provider: name, environment, clientId: "c" }).environment, environment);
    }
    assert.throws(() => new OAuthClient({ provider: name, environment: "nope", clientId: "c" }), (e) => {
      assert.equal(e.message, `${name} environments are: ${environments.join(", ")}`);
      return true;
    });
  }
});

test("the message is human text; the code is its own property", () => {
  const client = new OAuthClient({ provider: "tropipay", clientId: "c", redirectUri });
  const { pending } = client.startAuthorization();
  assert.throws(() => client.parseCallback(`${redirectUri}?error=invalid_scope&error_description=Bad+scope`, pending), {
    name: "OAuthError",
    code: "authorization_error",
    providerCode: "invalid_scope",
    providerMessage: "Bad scope",
    message: "the authorization server returned an error (provider: invalid_scope: Bad scope)",
  });
});

test("results are cut at their UTF-8 lengths: non-ASCII payload, code and iss survive", () => {
  const client = new OAuthClient({
    provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://as.example.com/a", token: "https://as.example.com/t" },
    preset: { issuer: "https://as.example.com/ñ" },
  });
  const payload = "user=ñandú&emoji=😀&ok=1";
  const { url, state, pending } = client.startAuthorization({ payload });
  assert.ok(url.includes(`state=${state}`) && pending.startsWith("p2."));
  const code = "código-😀";
  const back = `${redirectUri}?code=${encodeURIComponent(code)}&state=${state}&iss=${encodeURIComponent("https://as.example.com/ñ")}`;
  const got = client.parseCallback(back, pending);
  assert.deepEqual(
    { code: got.code, state: got.state, payload: got.payload, iss: got.iss, flowId: got.flowId.length },
    { code, state, payload, iss: "https://as.example.com/ñ", flowId: 22 },
  );
  assert.equal(typeof got.flowExpiresAt, "number");
  const second = client.startAuthorization();
  const plain = client.parseCallback(`${redirectUri}?code=abc&state=${second.state}&iss=${encodeURIComponent("https://as.example.com/ñ")}`, second.pending);
  assert.deepEqual({ code: plain.code, payload: plain.payload, iss: plain.iss }, { code: "abc", payload: null, iss: "https://as.example.com/ñ" });
});

// The parts are decoded from UTF-8 in JS (results.js): a TextDecoder that
// did not ignore the BOM would drop a part's leading U+FEFF.
test("a code and payload that start with U+FEFF keep it", () => {
  const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri });
  const payload = "\uFEFFp";
  const { state, pending } = client.startAuthorization({ payload });
  const got = client.parseCallback(`${redirectUri}?code=%EF%BB%BFk&state=${state}`, pending);
  assert.deepEqual({ code: got.code, payload: got.payload }, { code: "\uFEFFk", payload });
});

// The page check reads the global `document` on each construction (a test
// runner may install a DOM after the package loaded), as it always did.
test("a client secret is refused whenever a document exists, even one defined after import", () => {
  const options = { provider: "billit", clientId: "c", clientSecret: "s", redirectUri: "https://app.example.com/cb" };
  assert.ok(new OAuthClient(options));
  try {
    globalThis.document = {};
    assert.throws(() => new OAuthClient(options), (e) => e.code === "secret_in_browser");
    globalThis.document = null;
    assert.ok(new OAuthClient(options));
  } finally {
    delete globalThis.document;
  }
  assert.ok(new OAuthClient(options));
});
