// Review 115 (outside reviewer on 1309f58..HEAD, e46d562 + d0fcf61: the start seals its pending value from the
// fields' bytes (`pending::seal_fields`, which `PendingView::seal_into` also calls), checks its PKCE verifier as bytes
// (`pkce::check_verifier_bytes`), and a pending field's length is compared with 0xFFFF as usize). No behaviour change
// confirmed: every start compared with 1309f58's package, given the same random bytes and clock, was byte for byte
// the same (url, state, pending, flowId, errors), in both builds. No finding, so no test here fails on the current
// code: these pin what held, with the expected values read from 1309f58's package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { child } from "./region.mjs";

// Held: every provider x environment x stateKey (none, one, two) x tokenKind x pkce preset x payload (empty to
// 2,049 bytes, 2- and 4-byte UTF-8 at the 2,048-byte limit, NUL) start, and its own callback, hashes as 1309f58's
// did (same getRandomValues stream and Date.now): 6,318 cases per build, 2,430 of them starts that succeed.
test("review115 (held): every start is byte for byte 1309f58's, given the same random bytes and time", () => {
  const result = child(MATRIX);
  assert.deepEqual(result, EXPECTED_MATRIX);
});

// Held: the pending field boundary is where it was. The redirect URI is the one start field a caller can make that
// long: 65,533 and 65,534 bytes seal (the callback then refuses the long URL, as before), 65,535 and 65,536 are
// refused at the start; one client's pending value is refused by a client of another id, provider or key; the
// public verifier check accepts exactly [A-Za-z0-9-._~] (code points 0 to 0x2FF tried), 43 to 128 characters.
// (Also as before, and outside this change: a client without a stateKey accepts a keyed client's pending value,
// and a client with another redirectUri accepts it too: the owner check is provider, client id and environment.)
test("review115 (held): the 65,535-byte pending field limit, cross-client refusals and the verifier alphabet", () => {
  const result = child(BOUNDS);
  assert.deepEqual(result, EXPECTED_BOUNDS);
});

// Held: a start at the limit (a 65,534-byte redirect URI, a 2,048-byte payload of 2-byte characters) hashes as
// 1309f58's did, with and without a stateKey, in both builds.
test("review115 (held): a start with a 65,534-byte pending field is byte for byte 1309f58's", () => {
  const result = child(`
const { createHash } = await import("node:crypto");
Date.now = () => 1765000000000;
let s = 7;
Object.defineProperty(globalThis.crypto, "getRandomValues", { value: (a) => { const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength); for (let i = 0; i < u.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; u[i] = s >>> 24; } return a; }, configurable: true, writable: true });
const r = [];
for (const e of ["node.js", "page-node.js"]) {
  const m = await import(pkg + e);
  for (const stateKey of [undefined, "k".repeat(32)]) {
    const c = new m.OAuthClient({ provider: "payfit", clientId: "c", redirectUri: "https://app.example/" + "a".repeat(65514), stateKey });
    const st = c.startAuthorization({ payload: "\u00e9".repeat(1024) });
    r.push(createHash("sha256").update(st.url + "|" + st.state + "|" + String(st.pending) + "|" + st.flowId).digest("hex"));
  }
}
console.log(JSON.stringify(r));
`);
  assert.deepEqual(result, [
    "0e988fb812d8088012150b23a9ffad272f710ada5e5fdab7e229c6dec35b3b2f",
    "597b02b2b7a81fe7728dadb6cbd936fa1c67e39d5a2e26b1d420769f824693c6",
    "84b180005cd671e1c918990d3e91cf9bca302c0b8694bdfec5858de2f3237dae",
    "dd95efd1178457b3628cf19c4828f9f431b69cc0395e3be796946ed023cd0fb4",
  ]);
});

const MATRIX = "const { createHash } = await import(\"node:crypto\");\nlet s = 7;\nObject.defineProperty(globalThis.crypto, \"getRandomValues\", { value: (a) => { const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength); for (let i = 0; i < u.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; u[i] = s >>> 24; } return a; }, configurable: true, writable: true });\nDate.now = () => 1765000000000;\nconst ser = (f) => { try { return JSON.stringify({ ok: f() }); } catch (e) { return JSON.stringify({ code: e?.code, message: e?.message }); } };\nconst payloads = [undefined, \"\", \"p\", \"\u00e9\", \"x\".repeat(2047), \"x\".repeat(2048), \"x\".repeat(2049), \"\u00e9\".repeat(1024), \"\u00e9\".repeat(1025), \"\\u{1F600}\".repeat(512), \"\\u{1F600}\".repeat(512) + \"x\", \"a\\u0000b\"];\nconst out = {};\nfor (const entry of [\"node.js\", \"page-node.js\"]) {\n  const h = createHash(\"sha256\"); let n = 0, ok = 0;\n  const add = (x) => { h.update(x + \"\\n\"); n++; if (x.startsWith('{\"ok\"')) ok++; };\n  const m = await import(pkg + entry);\n  for (const provider of [\"billit\", \"payfit\", \"payout\", \"factorial\", \"tropipay\", \"custom\"]) {\n    let envs = [\"production\"];\n    try { new m.OAuthClient({ provider, environment: \"??\", clientId: \"c\" }); } catch (x) { envs = x.message.split(\": \")[1]?.split(\", \") ?? envs; }\n    for (const environment of [undefined, ...envs]) for (const stateKey of [undefined, \"k\".repeat(32), [\"k\".repeat(32), \"j\".repeat(40)]]) for (const tokenKind of [undefined, \"user\", \"company\"]) for (const pkce of [undefined, \"required\", \"unsupported\"]) {\n      const o = { provider, environment, clientId: \"client-\u00e9\", redirectUri, stateKey, endpoints: provider === \"custom\" ? { authorize: \"https://as.example/a\", token: \"https://as.example/t\" } : undefined, preset: pkce ? { pkce } : undefined };\n      let c; add(ser(() => { c = new m.OAuthClient(o); return [c.provider, c.environment]; }));\n      if (!c) continue;\n      for (const payload of payloads) add(ser(() => { const st = c.startAuthorization({ payload, tokenKind, scopes: [\"a\", \"b.c\"], params: { prompt: \"x\" } }); return [st.url, st.state, String(st.pending), st.flowId, st.flowExpiresAt, ser(() => c.parseCallback(redirectUri + \"?code=C&state=\" + st.state, st.pending))]; }));\n      c.free?.();\n    }\n  }\n  out[entry] = [n, ok, h.digest(\"hex\")];\n}\nconsole.log(JSON.stringify(out));\n";
const EXPECTED_MATRIX = {
  "node.js": [6318, 2430, "d533eb4f7cb1588c293812ae6a2daf93fc92cae9cd98719daf379572c441d394"],
  "page-node.js": [6318, 2430, "44304bc5101e0a81f376809c5773c80f6c9a96c353aca129faa3a6f37cfec696"],
};

const BOUNDS = "Date.now = () => 1765000000000;\nconst out = {};\nfor (const entry of [\"node.js\", \"page-node.js\"]) {\n  const m = await import(pkg + entry);\n  const r = (out[entry] = {});\n  // The redirect URI is the one start field a caller can make 65,534+ bytes long.\n  for (const len of [65533, 65534, 65535, 65536]) for (const stateKey of [undefined, \"k\".repeat(32)]) {\n    const uri = \"https://app.example/\" + \"a\".repeat(len - 20);\n    r[len + (stateKey ? \"k\" : \"\")] = (() => { try { const c = new m.OAuthClient({ provider: \"billit\", clientId: \"c\", redirectUri: uri, stateKey }); const st = c.startAuthorization({ payload: \"x\".repeat(2048) });\n      const p = String(st.pending); return [p.slice(0, 3), p.length, st.url.length, answer(() => c.parseCallback(uri + \"?code=C&state=\" + st.state, st.pending))]; } catch (e) { return [e.code, e.message]; } })();\n  }\n  // One client's pending value (and state) at another client: never accepted.\n  const key = \"k\".repeat(32);\n  const mk = (o) => new m.OAuthClient({ provider: \"factorial\", clientId: \"client-a\", redirectUri, stateKey: key, ...o });\n  const a = mk({}), fa = a.startAuthorization({ payload: \"p\" }), fa2 = a.startAuthorization({ tokenKind: \"company\" });\n  const url = (st) => redirectUri + \"?code=C&state=\" + st.state;\n  r.own = answer(() => a.parseCallback(url(fa), fa.pending));\n  r.otherFlow = answer(() => a.parseCallback(url(fa), fa2.pending));\n  r.clientB = answer(() => mk({ clientId: \"client-b\" }).parseCallback(url(fa), fa.pending));\n  r.envB = (() => { try { return answer(() => mk({ environment: \"sandbox\" }).parseCallback(url(fa), fa.pending)); } catch (e) { return e.code; } })();\n  r.providerB = answer(() => new m.OAuthClient({ provider: \"billit\", clientId: \"client-a\", redirectUri, stateKey: key }).parseCallback(url(fa), fa.pending));\n  r.keyB = answer(() => mk({ stateKey: \"j\".repeat(32) }).parseCallback(url(fa), fa.pending));\n  r.noKey = answer(() => mk({ stateKey: undefined }).parseCallback(url(fa), fa.pending));\n  r.redirB = answer(() => mk({ redirectUri: \"https://app.example/cb2\" }).parseCallback(\"https://app.example/cb2?code=C&state=\" + fa.state, fa.pending));\n  // The public verifier check: exactly [A-Za-z0-9-._~] accepted, 43 to 128 characters.\n  if (m.pkceChallenge) {\n    const acc = [];\n    for (let cp = 0; cp < 0x300; cp++) { try { m.pkceChallenge(String.fromCharCode(cp).repeat(43)); acc.push(cp); } catch {} }\n    r.alphabet = String.fromCharCode(...acc);\n    r.lens = [42, 43, 128, 129].map((n) => answer(() => ({ code: m.pkceChallenge(\"a\".repeat(n)) })));\n    r.odd = [\"\\uD800\", \"\\u{1F600}\", \"a\\u0000\", \"\u00e9\"].map((x) => answer(() => ({ code: m.pkceChallenge(\"a\".repeat(42) + x) })));\n  }\n}\nconsole.log(JSON.stringify(out));\n";
// The same answers from both builds.
const EXPECTED_BOUNDS_EACH = {
  "65533": [
    "p2.",
    91121,
    68374,
    "input_too_large"
  ],
  "65534": [
    "p2.",
    91122,
    68375,
    "input_too_large"
  ],
  "65535": [
    "input_too_large",
    "a pending field is too long"
  ],
  "65536": [
    "input_too_large",
    "a pending field is too long"
  ],
  "65533k": [
    "p2.",
    91223,
    68418,
    "input_too_large"
  ],
  "65534k": [
    "p2.",
    91225,
    68419,
    "input_too_large"
  ],
  "65535k": [
    "input_too_large",
    "a pending field is too long"
  ],
  "65536k": [
    "input_too_large",
    "a pending field is too long"
  ],
  "own": "C",
  "otherFlow": "state_mismatch",
  "clientB": "provider_mismatch",
  "envB": "unknown_environment",
  "providerB": "provider_mismatch",
  "keyB": "invalid_pending",
  "noKey": "C",
  "redirB": "C",
  "alphabet": "-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~",
  "lens": [
    "invalid_argument",
    "ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA",
    "aDbPE7rEAOkQUHHNavRwhN-srU5eMCyUv-0k4BOvtz4",
    "invalid_argument"
  ],
  "odd": [
    "invalid_argument",
    "invalid_argument",
    "invalid_argument",
    "invalid_argument"
  ]
};
const EXPECTED_BOUNDS = { "node.js": EXPECTED_BOUNDS_EACH, "page-node.js": EXPECTED_BOUNDS_EACH };
