// Review 121 (outside reviewer on the twenty-third session's page-build changes, 7cb986d..6d4ac77,
// `git diff 7cb986d 6d4ac77 -- src pkg-template`: the callback export's one-pass rewrite (check_callback_into,
// pending::read_fields, state::open, check_owner by names, is_oauth of the buffers), the start's writers (the prefix
// and each scope written as checked, free `pair`/`pairs`, push_be_u64 and encode_signed by extends, the 1 KiB
// buffer made by the callers), the constructor's record reader (the five texts and the endpoints by `five`, the
// count compared as u64, `patch`/`read_start` out of line) and the preset's grants as bits in the page build, and
// the page JS (raw.js input()'s one type test a text, memory() on ArrayBuffer's byteLength getter bound to `call`,
// init() without URL fetching and import objects, the error's absent fields as null; options.js' one-element schema
// entries, `${field}`[0], copy()'s one conditional; oauth_error.js' `name` as a class field). No finding confirmed.
// Every hash below is 7cb986d's package's answer (both builds; the same random bytes and clock, fixed inside each
// child script), which 6d4ac77's equals. The scripts are in review121-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";
import { createHash } from "node:crypto";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review121-scripts.mjs", import.meta.url).href;
/** `call` (an expression using the scripts `s` and `pkg`) run in a child Node process. */
const run = childRunner(scripts, pkg);
const hash = (value) => createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);

// Held: 25 client options (custom endpoints with and without a query, `?` alone, no response_type, separators ","
// and "", grants [] / duplicated / all, timeoutMs and clientId at their bounds, an empty secret before a short key;
// 10 refused at construction) and 90 start options for each of the 15 others (15 scope lists: empty, 100 and 101, a
// separator inside, invalid tokens; x no option, a bad tokenKind, a 5,000-byte payload, a repeated param, and all
// three at once): 1,350 starts with the same URLs, states, pending values and flow ids, and every refusal in the same
// order with the same message. Then in a keyless and a keyed client, 119 pending values (each of the seven fields
// absent, empty, 0xFF, U+FFFD, another value; creation times 0 to u64::MAX; one trailing byte; six fields only;
// every third cut; a `.`, a tag, another prefix) under 15 callbacks (duplicates of any name, %FF, %EF%BF%BD, the
// fragment, provider errors with and without state, an empty code) and 8 clocks: 3,811 callbacks; an issuer preset's
// 63 (RFC 9207: no iss, the issuer plain and percent-encoded, a trailing slash, empty, repeated, another); another
// client id, environment, provider and key. About 5,240 answers a build.
test("review121 (held): starts, crafted pending values, issuers and other clients answer as 7cb986d's", async () => {
  const [page, full] = await Promise.all(["page-node.js", "node.js"].map((e) => run(`s.crafted(pkg, ${JSON.stringify(e)})`)));
  assert.equal(hash(page), "f232c08ae44dad50");
  assert.equal(hash(full), "efa08ff57193ad55");
  // What the hashes hold, in words: read_fields requires the first five fields and accepts an absent verifier or
  // token kind; another client's value is refused before the query is read; the flow's age at its bounds.
  const rows = page["pending billit"];
  const first = (k) => rows[k][0].replace(/^ok .*/, "ok");
  const malformed = "invalid_pending:the pending value is malformed";
  const other = "provider_mismatch:the pending value belongs to another provider, environment or client, not billit (production)";
  for (const i of [1, 2, 3, 4, 5]) assert.equal(first(`f${i}=absent`), malformed);
  for (const i of [1, 2, 3, 4, 5, 6, 7]) assert.equal(first(`f${i}=bytes1`), malformed);
  for (const i of [6, 7]) assert.equal(first(`f${i}=absent`), "ok");
  for (const i of [1, 2, 3]) assert.equal(first(`f${i}="C"`), other);
  assert.equal(rows[`f1="C"`][7], other, "another client's value is refused before the fragment's message");
  assert.equal(first(`f4="C"`), "state_mismatch:the callback's state is not the one this flow sent");
  assert.equal(first("trail"), malformed);
  assert.equal(first("only7"), malformed);
  assert.equal(first("t=1764999399"), "state_expired:the authorization flow is older than 600 seconds");
  assert.equal(first("t=1764999400"), "ok");
  assert.equal(first("t=18446744073709551615"), "invalid_state:the state was created in the future");
  const refusals = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.err ?? "ok"]));
  assert.deepEqual(refusals(page.others), { id: "provider_mismatch", env: "provider_mismatch", keyed: "invalid_pending", redirect: "ok", prov: "provider_mismatch" });
  assert.deepEqual(refusals(full.others), refusals(page.others));
  assert.equal(page.others.env.msg, "the pending value belongs to another provider, environment or client, not billit (sandbox)");
  assert.deepEqual(page.sealed.map((x) => x.err ?? `ok ${x.ok.pv}`), ["invalid_pending", "ok true", "ok false"]);
});

// Held: 30,000 seeded random callbacks per build (13 names including percent-encoded ones and "", 18 values
// including %FF, U+FFFD raw and encoded, bare %, %2, `=`; pieces without `=` and with two; `&`, `&&` and `;`; full
// URLs, paths, bare queries, fragments; clocks at 0-601 s and -5 s) against a keyless client, a two-key client and
// an issuer client with a 30 s age, with one pending value in ten tampered, cut or another client's, and one state
// in eight tampered. Every answer (code, state, payload, payloadVerified, iss, flowId, flowExpiresAt, or code,
// message and provider fields) hashed.
test("review121 (held): 30,000 random callbacks a build answer as 7cb986d's", async () => {
  const [page, full] = await Promise.all(["page-node.js", "node.js"].map((e) => run(`s.callbacks(pkg, ${JSON.stringify(e)}, 30000)`)));
  // Re-pinned (coordinator, twenty-ninth session): a bare query holding an unencoded `iss=https://…` is read as a
  // query, no longer refused as not a URL (tests/callback.rs); 1,120 answers a build changed, each of that class alone.
  assert.deepEqual(page, {
    n: 30000, ok: 667, hash: "3a59232dcdb9f725",
    codes: { invalid_callback: 17501, issuer_mismatch: 447, provider_mismatch: 1057, invalid_pending: 6636, state_mismatch: 2211, authorization_error: 246, missing_code: 650, state_expired: 571, missing_pending: 12, invalid_state: 2 },
  });
  assert.deepEqual(full, {
    n: 30000, ok: 667, hash: "7e73e3b794fb5d00",
    codes: { invalid_callback: 17500, issuer_mismatch: 448, provider_mismatch: 1057, invalid_pending: 6637, state_mismatch: 2212, authorization_error: 246, missing_code: 650, state_expired: 569, missing_pending: 12, invalid_state: 2 },
  });
});

// Held: 20,000 seeded random starts per build over 87 clients (six authorize endpoints: no query, `?`, `?x=1`,
// `?x=1&`, an escaped path, `?&`; presets without response_type, with "," and "" separators, authorize params, no
// PKCE, grants; client ids and redirect URIs needing form encoding; keyless and keyed) and random scopes (0-3, 100,
// 101), payloads (to 2,049 bytes), token kinds and params (reserved names in any casing): the same URL, state,
// pending value and flow id, or the same refusal, for the same random bytes.
test("review121 (held): 20,000 random starts a build write what 7cb986d wrote", async () => {
  const [page, full] = await Promise.all(["page-node.js", "node.js"].map((e) => run(`s.starts(pkg, ${JSON.stringify(e)}, 20000)`)));
  assert.equal(page.hash, "d9f1758b4551fe96");
  assert.equal(full.hash, "bbc98a01d4ae7fc1");
  assert.deepEqual(page.kinds, full.kinds);
  assert.equal(page.kinds.ok, 8396);
  assert.equal(page.kinds["invalid_argument:more than 100 scopes"], 1298);
});

// Held: the page wasm's raw `n` then `t` over grants lists options.js never writes (indices 5-8, 31, 32, 63-65,
// 255, 256, 2^32, u64::MAX, 2^64, non-digits, "", "00", "-1"; counts 0-3 and counts past the list or the record): an
// index outside the five names is skipped as 7cb986d's Vec skipped it (the bit set: no shift past 7, no trap), and
// only a list holding index 0 starts. Then 20,000 records mutated at random from three clients' records: no trap,
// and every refusal, provider and environment name and start as 7cb986d's. And the raw `c` given lengths that lie
// (648 pairings, rawCallback): no trap, the same refusals and the same three answers.
test("review121 (held): hostile constructor records, grants as bits, and raw callback lengths answer as 7cb986d's in the page wasm", async () => {
  const [grants, records, callback] = await Promise.all([run("s.rawGrants(pkg)"), run("s.rawRecords(pkg, 20000)"), run("s.rawCallback(pkg)")]);
  assert.equal(hash(grants), "7fda57fd86d7fd77");
  assert.equal(grants.traps, 0);
  const starts = Object.values(grants).filter((a) => Array.isArray(a) && a[0] === "OK").length;
  assert.equal(starts, 42);
  assert.deepEqual(callback, {
    ctor: null, traps: 0, n: 648, hash: "a36b71474370a749",
    kinds: { "invalid_argument:the callback URL must be a string": 333, "input_too_large:a text passed to partner-oauth/page is l": 83, "invalid_argument:the pending value must be a string": 124, "missing_pending:no pending value for this callback: it w": 29, "invalid_pending:the pending value is not one this librar": 71, "invalid_pending:the pending value is not sealed, but a s": 5, OK: 3 },
  });
  assert.deepEqual(records, {
    n: 20000, traps: 0, hash: "4cf4c0511395ec2d",
    kinds: { "OK missing_endpoint": 4423, invalid_config: 1980, unknown_provider: 4855, invalid_redirect_uri: 4851, unknown_environment: 1035, "OK started": 1166, "OK invalid_config": 1348, "OK invalid_argument": 342 },
  });
});

// Held: options.js' schema entries without a type (["environment"], ["redirectUri"], endpoints' ["authorize"],
// ["payload"], ["tokenKind"], ["scopeSeparator"], ["issuer"]) are destructured by `for (const [key, type, names] of
// schema)`, whose iterator stops at the entry's length: a value planted on Array.prototype[1] (the index review 106 E
// saw become the JWT table's types) is never read as a type, before or after load, in either build.
test("review121 (held): an Array.prototype[1] planted before or after load types no one-element schema entry", async () => {
  const cases = ["before", "after"].flatMap((w) => ["page-node.js", "node.js"].flatMap((e) => ["b", "K", "x", "1", "o", "c"].map((v) => [w, e, v])));
  const got = await Promise.all(cases.map(([w, e, v]) => run(`s.plantedIndex(pkg, ${JSON.stringify(e)}, ${JSON.stringify(w)}, ${JSON.stringify(v)})`)));
  for (const [i, out] of got.entries()) {
    assert.deepEqual(out.slice(0, 2), [["production", 133], ["sandbox", true, "pay"]], cases[i].join(" "));
    assert.match(out[2], /^https:\/\/a\.example\/a\?response_type=code&client_id=c&redirect_uri=https%3A%2F%2Fapp\.example%2Fcb&scope=a%2Cb&state=/, cases[i].join(" "));
  }
});
