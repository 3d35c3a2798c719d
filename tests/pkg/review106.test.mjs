// Review 106 (outside reviewer on the JWT verification change reverted after it: ea56bcc jwtOptions, e88f477 algorithm bitsets,
// e4a33cf the plan getter and candidates(jwks, status), 2e69828 candidates as one JSON array and typ without copies).
import { test } from "node:test";
import assert from "node:assert/strict";
import { verifyAccessToken } from "../../pkg/node.js";
import { JWK, makeToken } from "./frozen/jwt-options-cases.mjs";
import { child } from "./region.mjs";

// A (low; regression of e4a33cf). readJwks(status: u16, body) became candidates(jwks, status: Option<u16>), and
// wasm-bindgen passes an absent Option<u16> as the sentinel 0xFFFFFF: a fetch answer whose status is 16777215 (or
// any number ToInt32 maps to it: 16777215.5, 16777215 + 2^32) reaches the wasm as "no status", so the "is it a JWK
// Set, with a 2xx status" check is skipped. io.js then caches the body as the issuer's set for its max-age and
// verifies the token with its keys. The old build refused it (invalid_response, "[HTTP 65535]"), as it refuses any
// other non-2xx status; io.js' send only checks that the status is a number (a custom `fetch` answers anything).
test("review106 A: a JWKS answer with status 16777215 is not taken as a JWK Set", async () => {
  const token = await makeToken();
  let at = 0;
  for (const status of [0xffffff, 0xffffff + 0.5, 0xffffff + 2 ** 32]) {
    const fetch = async () => ({ status, headers: new Headers(), text: async () => JSON.stringify({ keys: [JWK] }) });
    const options = { jwks: `https://review106-a${at++}.example/jwks`, fetch };
    await assert.rejects(verifyAccessToken(token, options), { code: "invalid_response" }, `status ${status}`);
  }
});

// B (low; regression of ea56bcc). jwtOptions reads the options' names from JSON.parse(configJson(options)), whose
// object puts array-index names ("1", "7") first, ascending; the old build's reader took them in the order of the
// JSON text, which is the order the options gave (a Proxy's ownKeys, a module namespace's sorted names). So the
// unknown option reported, a frozen message, differs: old "b", new "1". Fix: read the names from the text's order
// (e.g. build `entries` from the copy() walk over Object.keys of the value, or have the wasm report the unknown name
// from its own parse of the text, as it did).
test("review106 B: the unknown option named is the first in the options' own order, as before", async () => {
  const token = await makeToken();
  const options = new Proxy({ b: 1, 1: 2, key: JWK }, { ownKeys: () => ["b", "1", "key"] });
  await assert.rejects(verifyAccessToken(token, options), {
    code: "invalid_config",
    message: 'verifyAccessToken options: unknown option "b"',
  });
});

// C and D (an untyped error past V8's string length from the joined key text; an out-of-memory trap from copying
// the key set) were regressions of 2e69828 and ea56bcc, reverted with them; their tests needed ~1-5 GB, so they are
// not kept here.

// E (low; regression of ea56bcc). options.js' JWT table gives `key` and `jwks` one-element entries (["key"],
// ["jwks"]), and jwtOptions asks `JWT[at][1]` whether to read them: with an index planted on Array.prototype (the
// pollution options.js otherwise guards against, review 60), both read as typed fields, so the record gets ten
// values instead of eight (the key's own text among them when it is a PEM string), or ten `~` with a
// "options.key must be a string" message. The wasm then reads the JSON text from the wrong place and every
// verifyAccessToken refuses "options must be an object": fail-closed, but all JWT verification stops, where the old
// build (and the client and start options' readers, whose entries all have their type) verified. Fix: give key and
// jwks an own type (e.g. ["key", ""]) or test `at >= 2`, and read entries with Object.hasOwn / by length.
test("review106 E: an index planted on Array.prototype does not stop every verifyAccessToken", async () => {
  const token = await makeToken();
  Array.prototype[1] = "s"; // eslint-disable-line no-extend-native
  let outcome;
  try {
    outcome = (await verifyAccessToken(token, { key: JWK })).sub;
  } catch (e) {
    outcome = `${e?.code}: ${e?.message}`;
  } finally {
    delete Array.prototype[1];
  }
  assert.equal(outcome, "s1");
});
