// Review 118 (outside reviewer on 26a816b..d381538, `git diff 26a816b d381538 -- src scripts/build-wasm.sh`: round 2
// of the page-size work, meant to change no behaviour: core::callback::form_decode decoding a whole `name=value`
// piece in one pass, the page's error answer (`failed`), the page heap's dealloc out of line, record.rs' counts as
// usize, `skip` out of line and endpoints by array::from_fn, client_new answering by set_slots, options.js' copy()
// without its NOT_PLAIN sentinel, and wasm-opt's -aimfs 6 --merge-similar-functions and a last
// --optimize-instructions on the page build). No finding confirmed. The expected values below are 26a816b's
// package's (both builds), answered identically by d381538's, with the same random bytes and
// clock (fixed inside each child script). The scripts are in review118-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { child } from "./region.mjs";

const scripts = JSON.stringify(new URL("./review118-scripts.mjs", import.meta.url).href);
const run = (body) => child(`const s = await import(${scripts});\n${body}`);

// Held: per client (keyless; keyed with two keys), 1,713 callback queries: `=` inside names and values, %3D and
// %3d, empty names and values, `&&`, `+`, every %XX (both cases) in a value, a name and as a whole pair, truncated
// escapes, duplicates (raw and percent-encoded names), code/state/iss/error percent-encoded, provider errors with and
// without a description (empty, absent, valueless, duplicated), 100 to 8,192 pairs and the 16,384-byte limit at -3..+2
// with five fillers; 480 fragments; 339/651 tampered pending values and states (each character changed, cut, a raw
// `=` or `%` or an escape put in); 89 constructor options failing at every field or given what copy() refuses
// (holes, lone surrogates in names and values, toJSON, getters, Proxies, NaN/-0/1e21, __proto__, depth 63-65,
// BigInt, boxed strings) and 14 start options; a freed client. Every answer, message, providerCode and
// providerMessage (null when absent, "" when empty) is 26a816b's, in each build.
test("review118 (held): callbacks, provider errors, tampering and failing options answer as 26a816b's, both builds", () => {
  const got = run(`console.log(JSON.stringify({ "node.js": await s.summary(await s.diff(pkg, "node.js")), "page-node.js": await s.summary(await s.diff(pkg, "page-node.js")) }));`);
  assert.deepEqual(got, { "node.js": EXPECTED["node.js"], "page-node.js": EXPECTED["page-node.js"] });
});

// Held: form_decode's one pass splits at the first raw `=` only (a decoded %3D is a byte of the name or value),
// and a piece without `=` is an empty value, as the split before it did. The page build's answers (26a816b's).
test("review118 (held): the first raw `=` ends the name; %3D does not", () => {
  const got = run(`Date.now = () => 1765000000000;
const m = await import(pkg + "page-node.js");
const c = new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri });
const f = c.startAuthorization({});
const a = (q) => { try { const r = c.parseCallback(redirectUri + "?" + q.replaceAll("=S", "=" + f.state), f.pending); return ["ok", r.code, r.iss]; } catch (e) { return [e.code, e.providerCode, e.providerMessage]; } };
console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(Object.keys(FEW))}.map((q) => [q, a(q)]))));`);
  assert.deepEqual(got, FEW);
});

// Held: the page's raw `n` (client_new) fed three options records (custom with every endpoint and preset field,
// factorial with an environment, billit) cut at every length, each byte replaced by one of `~9:0a`, and every
// length or count replaced by 2^32, u64::MAX, 2^64, 10^23, the record's length, 0, 00, 01: 2,637 calls, no trap,
// every answer 26a816b's (records.rs' usize counts refuse what the u64 ones did; from_fn reads the endpoints in
// order). The one difference, meant: a new client's answer head is now all zeros (no bytes, no buffer); 26a816b's
// was an empty Vec's dangling address (1, 0, 1, 0). Both are freed as capacity 0, a no-op.
test("review118 (held): the page's raw client_new refuses records options.js never writes as 26a816b did", () => {
  const got = run("console.log(JSON.stringify(await s.rawSummary(await s.raw(pkg))));");
  assert.deepEqual(got, EXPECTED.raw);
});

// Held: in the page build, 3,000 clients (keys 32-81 bytes), starts, callbacks with %3D and up to 39 `a=b=c`
// pairs, 9,000 refused callbacks (provider errors with descriptions of up to 400 bytes, a bad state) and 9,000
// refused constructors: the memory does not grow after the first 1,000; afterwards the heap holds no code, key,
// pending value, state, provider error code or description of a freed client, nor the key or secret of
// constructors refused after reading them (or accepted and freed). 26a816b's answer is the same.
test("review118 (held): the page heap's out-of-line dealloc still zeroes, and nothing grows", () => {
  const got = run("console.log(JSON.stringify(await s.heap(pkg)));");
  assert.deepEqual(got, {
    errors: 18003,
    accepted: 2,
    grewAfter1000: 0,
    code: "CODE-unique-0123456789",
    left: { code: false, key: false, pending: false, state: false, providerError: false, providerDesc: false, failedKey: false, failedSecret: false },
  });
});

const FEW = {
  "code=a=b&state=S": [
    "ok",
    "a=b",
    null
  ],
  "code%3D=x&code=y&state=S": [
    "ok",
    "y",
    null
  ],
  "c%6Fde=X&state=S": [
    "ok",
    "X",
    null
  ],
  "code=X&c%6fde=Y&state=S": [
    "invalid_callback",
    null,
    null
  ],
  "code=%3D%3d&state=S": [
    "ok",
    "==",
    null
  ],
  "code=a+b%2B&state=S": [
    "ok",
    "a b+",
    null
  ],
  "code=%&state=S": [
    "ok",
    "%",
    null
  ],
  "code=%4&state=S": [
    "ok",
    "%4",
    null
  ],
  "code=%4g&state=S": [
    "ok",
    "%4g",
    null
  ],
  "code&state=S": [
    "missing_code",
    null,
    null
  ],
  "=x&code=X&state=S": [
    "ok",
    "X",
    null
  ],
  "&&code=X&&state=S&&": [
    "ok",
    "X",
    null
  ],
  "code=X&state=S&iss": [
    "ok",
    "X",
    ""
  ],
  "code=X&state=S&is%73=I": [
    "ok",
    "X",
    "I"
  ],
  "code=X&state=S&iss=I=J": [
    "ok",
    "X",
    "I=J"
  ],
  "error=a=b&state=S": [
    "authorization_error",
    "a=b",
    null
  ],
  "error=e&state=S": [
    "authorization_error",
    "e",
    null
  ],
  "error=e&error_description=&state=S": [
    "authorization_error",
    "e",
    ""
  ],
  "error=e&error_description&state=S": [
    "authorization_error",
    "e",
    ""
  ],
  "error&state=S": [
    "authorization_error",
    "",
    null
  ],
  "error=%3D&error_description=%3D=&state=S": [
    "authorization_error",
    "=",
    "=="
  ]
};

// The two builds answer alike except for the failing constructor and start options, where each gave its own
// 26a816b answers.
const BOTH = {
  "q_keyless": 1713,
  "cb_keyless": [
    1713,
    531,
    "80540698463085f6"
  ],
  "frag_keyless": [
    240,
    0,
    "1f6dc24fbcdd5161"
  ],
  "frag2_keyless": [
    240,
    0,
    "1f6dc24fbcdd5161"
  ],
  "tamper_keyless": [
    339,
    62,
    "ec8d4ec69b731640"
  ],
  "q_keyed": 1713,
  "cb_keyed": [
    1713,
    533,
    "d00ad896ab6b37d4"
  ],
  "frag_keyed": [
    240,
    0,
    "1f6dc24fbcdd5161"
  ],
  "frag2_keyed": [
    240,
    0,
    "1f6dc24fbcdd5161"
  ],
  "tamper_keyed": [
    651,
    83,
    "c221544a5efc3dd3"
  ],
  "freed": [
    3,
    0,
    "670ff65f0a69b333"
  ]
};

const EXPECTED = {
  "node.js": { ...BOTH, "ctor": [89,24,"c598ea7c62e67322"], "startOpts": [14,5,"f06e1f37ebf9e6a1"] },
  "page-node.js": { ...BOTH, "ctor": [89,24,"b78aa59f218f0099"], "startOpts": [14,5,"aae5c6488888c971"] },
  "raw": {
    "traps": 0,
    "outcomes": {
      "OK ": 1725,
      "ERR unknown_provider": 180,
      "ERR invalid_config": 493,
      "ERR unknown_environment": 31,
      "ERR invalid_redirect_uri": 208
    },
    "heads": [
      "[0,0,0,0]"
    ],
    "hash": "6052c3771224e52c"
  },
};
