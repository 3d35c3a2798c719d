// The JS glue fuzzed from JS (issue 26, item 8): the options reader
// (options.js), the result slicing (results.js) and the error class, in both
// builds of the installed package, with fast-check. Whatever a caller hands
// the constructor, startAuthorization or parseCallback, the answer is a
// result or an OAuthError with a listed code: never a TypeError, a
// RangeError or a wasm trap. And the two builds answer alike: the same code
// and message, or the same callback fields.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import * as full from "partner-oauth";

// The page build's module by path (its entry, page.js, fetches the .wasm by
// URL, which Node's fetch cannot): the same glue, initialised synchronously.
const root = dirname(createRequire(import.meta.url).resolve("partner-oauth/package.json"));
const page = await import(pathToFileURL(join(root, "page/partner_oauth.js")).href);
page.initSync({ module: readFileSync(join(root, "page/partner_oauth_bg.wasm")) });

const CODES = new Set(full.errorCodes());
const RUNS = Number(process.env.GLUE_RUNS ?? 2000);
const redirectUri = "https://app.example.com/cb";
const GOOD = { provider: "billit", clientId: "c", redirectUri, stateKey: "k".repeat(32) };

/** What a call gave: { ok } or { code, message }; anything but an OAuthError fails the property. */
function outcome(run) {
  try {
    return { ok: run() };
  } catch (error) {
    assert.ok(error instanceof full.OAuthError, `not an OAuthError: ${error?.constructor?.name}: ${error?.message}`);
    assert.ok(CODES.has(error.code), `an unlisted code: ${error.code}`);
    assert.equal(typeof error.message, "string");
    return { code: error.code, message: error.message };
  }
}

const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.constantFrom("", "billit", "custom", "payfit", "https://a.example/x", redirectUri, "k".repeat(32)));
const value = fc.oneof(
  text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined),
  fc.array(text, { maxLength: 4 }), fc.dictionary(text, text, { maxKeys: 3 }), fc.anything({ maxDepth: 2 }),
);
const CLIENT_KEYS = ["provider", "environment", "clientId", "clientSecret", "redirectUri", "stateKey", "endpoints", "preset", "stateMaxAge", "timeoutMs", "dangerouslyAllowSecretInBrowser"];
const clientOptions = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record(Object.fromEntries(CLIENT_KEYS.map((key) => [key, value])), { requiredKeys: [] }),
  // Good options with one field replaced or added.
  fc.tuple(fc.constantFrom(...CLIENT_KEYS, "unknown", "__proto__"), value).map(([key, v]) => ({ ...GOOD, [key]: v })),
);
const startOptions = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record({ scopes: value, payload: value, tokenKind: value, params: value }, { requiredKeys: [] }),
);

/** `base` with a few characters deleted, inserted or replaced. */
const mutated = (base) =>
  fc.array(fc.tuple(fc.nat(), fc.constantFrom("delete", "insert", "replace"), fc.string({ unit: "binary", minLength: 1, maxLength: 3 })), { maxLength: 4 })
    .map((edits) => edits.reduce((s, [at, how, chars]) => {
      const i = s.length === 0 ? 0 : at % s.length;
      if (how === "delete") return s.slice(0, i) + s.slice(i + 1);
      if (how === "insert") return s.slice(0, i) + chars + s.slice(i);
      return s.slice(0, i) + chars + s.slice(i + 1);
    }, base));

test("the constructor: any options give a client or an OAuthError, the same in both builds", () => {
  fc.assert(fc.property(clientOptions, (options) => {
    const a = outcome(() => new full.OAuthClient(options));
    const b = outcome(() => new page.OAuthClient(options));
    assert.deepEqual([a.code, a.message], [b.code, b.message]);
  }), { numRuns: RUNS });
  // Neither instance was left broken.
  assert.match(new page.OAuthClient(GOOD).startAuthorization().url, /^https:\/\/my\.billit\.be\//);
});

test("startAuthorization: any options give a flow or an OAuthError, the same in both builds", () => {
  const clients = [new full.OAuthClient(GOOD), new page.OAuthClient(GOOD)];
  fc.assert(fc.property(startOptions, (options) => {
    const [a, b] = clients.map((client) => outcome(() => client.startAuthorization(options)));
    assert.deepEqual([a.code, a.message], [b.code, b.message]);
    if (a.ok) {
      for (const started of [a.ok, b.ok]) {
        assert.deepEqual(Object.keys(started), ["url", "state", "pending", "flowId", "flowExpiresAt"]);
        assert.ok(started.url.startsWith("https://my.billit.be/Account/Logon?") && started.url.includes(`state=${started.state}`));
      }
    }
  }), { numRuns: RUNS });
});

test("parseCallback: any URL and pending value give the callback or an OAuthError, the same in both builds", () => {
  const clients = [new full.OAuthClient(GOOD), new page.OAuthClient(GOOD)];
  const started = clients[0].startAuthorization({ payload: "customer=42" });
  const good = `${redirectUri}?code=abc&state=${started.state}`;
  const urls = fc.oneof(text, mutated(good), fc.constant(good), fc.anything({ maxDepth: 1 }));
  const pendings = fc.oneof(fc.constant(started.pending), mutated(started.pending), text, fc.constant(null), fc.constant(undefined), fc.anything({ maxDepth: 1 }));
  let finished = 0;
  fc.assert(fc.property(urls, pendings, (url, pending) => {
    const [a, b] = clients.map((client) => outcome(() => client.parseCallback(url, pending)));
    assert.deepEqual([a.code, a.message], [b.code, b.message]);
    if (a.ok) {
      finished++;
      const fields = ({ code, state, payload, iss, flowId, flowExpiresAt }) => ({ code, state, payload, iss, flowId, flowExpiresAt });
      assert.deepEqual(fields(a.ok), fields(b.ok));
      assert.equal(a.ok.flowId, started.flowId);
    }
  }), { numRuns: RUNS, examples: [[good, started.pending]] });
  assert.ok(finished > 0, "no callback finished: the property never reached a good flow");
});

// The page build's own glue (src/wasm/raw.js): client handles are its to
// keep, so any sequence of constructions, uses and free() calls gives a
// value or an OAuthError (a freed client: invalid_argument), never a trap,
// and a live client keeps answering as a fresh one does.
test("page build: any sequence of new, use and free() on a few clients gives a value or an OAuthError", () => {
  const step = fc.tuple(fc.constantFrom("new", "free", "dispose", "provider", "start", "callback", "verifier"), fc.nat(3), value);
  fc.assert(fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
    const clients = [null, null, null, null];
    const freed = new Set();
    for (const [op, i, arg] of steps) {
      const client = clients[i];
      const got = outcome(() => {
        switch (op) {
          case "new": clients[i] = new page.OAuthClient(GOOD); freed.delete(i); return clients[i];
          case "free": freed.add(i); return client?.free();
          case "dispose": freed.add(i); return client?.[Symbol.dispose]();
          case "provider": return client?.provider;
          case "start": return client?.startAuthorization(arg);
          case "callback": return client?.parseCallback(arg, arg);
          default: return page.newPkceVerifier();
        }
      });
      // (A freed client's start or callback checks its arguments first.)
      if (client && freed.has(i) && op === "provider") assert.equal(got.code, "invalid_argument");
      if (client && !freed.has(i) && op === "provider") assert.equal(got.ok, "billit");
    }
    for (const client of clients) client?.free();
  }), { numRuns: Math.min(RUNS, 500) });
  const client = new page.OAuthClient(GOOD);
  const { state, pending } = client.startAuthorization();
  assert.equal(client.parseCallback(`${redirectUri}?code=abc&state=${state}`, pending).code, "abc");
});
