// Review 134 (outside reviewer on helper cb50, 431b615..4911600, merged ff550d0: `read_pairs` runs the OAuth-parameter
// test last and answers 0 when the pairs hold no code, state, error or authorization_code, so the query and the
// fragment share one call and `callback_params` picks CallbackInFragment / CallbackWithoutParameters from it;
// `provider_error` takes the `error` value its callers hold, the missing-state branch matching `(state, error)`;
// `with_provider_bytes` forgets the `None`s it replaces, and the public `with_provider` clears earlier fields first).
// Differential runs of d6f1564's (/tmp/review128-old/pkg) and 1578073's packages, page (page-node.js) and full
// (node.js) builds, with the same random bytes (xorshift) and clock, gave identical answers everywhere; the values
// below are 1578073's, frozen. Confirmed nothing. The scripts are review134-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review134-scripts.mjs", import.meta.url).href;
const run = childRunner(scripts, pkg);
const runs = {
  handPage: run("s.hand(pkg, 'page-node.js')"),
  handFull: run("s.hand(pkg, 'node.js')"),
  fuzzPage: run("s.fuzz(pkg, 'page-node.js', 1341, 1500)"),
  fuzzFull: run("s.fuzz(pkg, 'node.js', 1341, 1500)"),
  mildPage: run("s.fuzz(pkg, 'page-node.js', 1343, 1500, true)"),
  mildFull: run("s.fuzz(pkg, 'node.js', 1343, 1500, true)"),
  stalePage: run("s.stale(pkg, 'page-node.js', 4000)"),
  staleFull: run("s.stale(pkg, 'node.js', 4000)"),
  memoryPage: run("s.memory(pkg, 'page-node.js', 20000)"),
  memoryFull: run("s.memory(pkg, 'node.js', 20000)"),
};

// A row as the frozen table writes it: `ok <code> <payload> <iss>`, or `<error code>: <message> | <providerCode> |
// <providerMessage>` ("-": absent; a long text as its first 12 characters and its length).
const cut = (t, n = 48) => {
  const c = Array.from(t);
  return c.length <= n ? t : c.slice(0, 12).join("") + `…(${c.length})`;
};
const short = (v) => {
  if (v[0] === "OK") return `ok ${cut(v[1])} ${v[3]} ${v[5]}`;
  let s = `${v[1]}: ${cut(v[2], 140)} | ${cut(v[3])} | ${cut(v[4])}`;
  if (v[5] !== "-" || v[6] !== "-") s += " | " + JSON.stringify(v.slice(5));
  return s;
};

// The plain client's (custom provider, no issuer) callbacks, then some of the issuer client's (preset.issuer) and of
// the codeParams client's (["authorization_code", "code"]). Each "url …" row was also given as a path (/cb?…), a bare
// query and a bare ?query: the same answers (checked below). Held, all as d6f1564's: a fragment with an OAuth
// parameter and a query without one is CallbackInFragment (also behind `x=1&y=2`, and `%73tate` counts as state);
// a fragment whose pairs are refused (duplicate, not UTF-8, controls) is CallbackWithoutParameters; a query whose
// non-OAuth pairs are refused is refused for them before the fragment is looked at; OAuth parameters in both: the
// query's. Provider fields appear only on access_denied / authorization_error and are the callback's own `error` and
// `error_description` (never error_uri, the code or the state), cut to 256 characters; controls anywhere refuse.
const HAND = {
  "plain url ok": "ok C pay -",
  "plain url query+fragment both oauth": "ok C pay -",
  "plain url fragment oauth, query others": "invalid_callback: the response arrived in the URL fragment; this library reads the query (response_mode=query) | - | -",
  "plain url fragment oauth, query empty": "invalid_callback: the response arrived in the URL fragment; this library reads the query (response_mode=query) | - | -",
  "plain url query oauth, fragment others": "ok C pay -",
  "plain url neither": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain url neither, no fragment": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain url nothing": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain url nothing, empty fragment": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain url fragment oauth dup": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain url fragment dup non-oauth": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain url fragment error only": "invalid_callback: the response arrived in the URL fragment; this library reads the query (response_mode=query) | - | -",
  "plain url fragment state only": "invalid_callback: the response arrived in the URL fragment; this library reads the query (response_mode=query) | - | -",
  "plain url fragment %73tate": "invalid_callback: the response arrived in the URL fragment; this library reads the query (response_mode=query) | - | -",
  "plain url fragment not utf8": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain url fragment controls": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain url query dup non-oauth, fragment oauth": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain url query not utf8, fragment oauth": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain url query controls non-oauth, fragment oauth": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain url ? in fragment": "invalid_callback: the response arrived in the URL fragment; this library reads the query (response_mode=query) | - | -",
  "plain &&": "ok C pay -",
  "plain &": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain &&&": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain = without name": "ok C pay -",
  "plain = alone": "ok C pay -",
  "plain only =": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain only ==": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain name without =": "missing_code: the callback carries neither a code nor an error | - | -",
  "plain empty code": "missing_code: the callback carries neither a code nor an error | - | -",
  "plain code ==": "ok = pay -",
  "plain %73tate": "ok C pay -",
  "plain %63ode": "ok C pay -",
  "plain %65rror": "access_denied: the user refused consent (provider: access_denied) | access_denied | -",
  "plain %65rror no state": "access_denied: the user refused consent (provider: access_denied) | access_denied | -",
  "plain %2573tate": "state_mismatch: the callback carries no state | - | -",
  "plain + in name": "missing_code: the callback carries neither a code nor an error | - | -",
  "plain state%3D in name": "state_mismatch: the callback carries no state | - | -",
  "plain upper STATE": "state_mismatch: the callback carries no state | - | -",
  "plain dup code": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain dup code differing": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain dup state": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain dup state other": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain dup error": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain dup error_description": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain dup non-oauth": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain dup non-oauth empty": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain dup via encoding": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain dup empty names": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain iss": "ok C pay https://as.example",
  "plain iss raw": "ok C pay https://as.example",
  "plain iss other": "ok C pay https://evil.example",
  "plain iss empty": "ok C pay ",
  "plain iss dup": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "plain authorization_code": "missing_code: the callback carries neither a code nor an error | - | -",
  "plain both codes": "ok C pay -",
  "plain authorization_code only": "state_mismatch: the callback carries no state | - | -",
  "plain error access_denied": "access_denied: the user refused consent (provider: access_denied) | access_denied | -",
  "plain error other": "authorization_error: the authorization server returned an error (provider: server_error) | server_error | -",
  "plain error empty": "authorization_error: the authorization server returned an error (provider: ) |  | -",
  "plain error name only": "authorization_error: the authorization server returned an error (provider: ) |  | -",
  "plain error no state": "access_denied: the user refused consent (provider: access_denied) | access_denied | -",
  "plain error other no state": "authorization_error: the authorization server returned an error (provider: temporarily_unavailable: later) | temporarily_unavailable | later",
  "plain error empty no state": "authorization_error: the authorization server returned an error (provider: ) |  | -",
  "plain error wrong state": "state_mismatch: the callback's state is not the one this flow sent | - | -",
  "plain error wrong state desc": "state_mismatch: the callback's state is not the one this flow sent | - | -",
  "plain error empty state": "state_mismatch: the callback's state is not the one this flow sent | - | -",
  "plain error + code": "access_denied: the user refused consent (provider: access_denied) | access_denied | -",
  "plain error + code no state": "access_denied: the user refused consent (provider: access_denied) | access_denied | -",
  "plain error + desc": "authorization_error: the authorization server returned an error (provider: invalid_request: The request is bad) | invalid_request | The request is bad",
  "plain error + uri": "authorization_error: the authorization server returned an error (provider: invalid_request) | invalid_request | -",
  "plain error desc controls %0A": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain error desc controls %0D%0A": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain error desc %00": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain error desc %7F": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain error desc %C2%85 (NEL)": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain error desc %C2%9B (CSI)": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain error desc %E2%80%A8 (LS)": "authorization_error: the authorization server returned an error (provider: e: a\u2028b) | e | a\u2028b",
  "plain error desc %1B[31m": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain error desc tab": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain error uri controls": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain error code controls": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain error code controls no state": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain error desc controls no state": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain x controls": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain x name controls": "ok C pay -",
  "plain code controls": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain code %FF": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain code %C3%28": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain code %ED%A0%80 (surrogate)": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain code %C0%AF (overlong)": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain code %EF%BF%BD (U+FFFD)": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain code %F4%90%80%80 (>U+10FFFF)": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain code truncated %E2%82": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain code utf8 é": "ok é pay -",
  "plain code raw é": "invalid_callback: the callback is not a valid http(s) URL | - | -",
  "plain name %FF": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain x %FF": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain error %FF": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain error desc %FF": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain error desc %FF no state": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain error desc U+FFFD": "invalid_callback: a callback parameter is not UTF-8 once percent-decoded | - | -",
  "plain % alone": "ok % pay -",
  "plain %4": "ok %4 pay -",
  "plain %zz": "ok %zz pay -",
  "plain %%41": "ok %A pay -",
  "plain code=%26": "ok a&b pay -",
  "plain code=%3D": "ok a=b pay -",
  "plain code plus": "ok a b pay -",
  "plain state upper": "state_mismatch: the callback's state is not the one this flow sent | - | -",
  "plain state prefix": "state_mismatch: the callback's state is not the one this flow sent | - | -",
  "plain state extra": "state_mismatch: the callback's state is not the one this flow sent | - | -",
  "plain state encoded": "ok C pay -",
  "plain no state": "state_mismatch: the callback carries no state | - | -",
  "plain empty state": "state_mismatch: the callback's state is not the one this flow sent | - | -",
  "plain huge code": "ok aaaaaaaaaaaa…(16000) pay -",
  "plain huge code over": "input_too_large: the callback URL is longer than 16384 characters | - | -",
  "plain huge x": "ok C pay -",
  "plain huge desc": "authorization_error: the authoriz…(314) | e | dddddddddddd…(256)",
  "plain huge desc é": "authorization_error: the authoriz…(314) | e | éééééééééééé…(256)",
  "plain huge error": "authorization_error: the authoriz…(311) | eeeeeeeeeeee…(256) | -",
  "plain huge error no state": "authorization_error: the authoriz…(311) | eeeeeeeeeeee…(256) | -",
  "plain desc 256 é+x": "authorization_error: the authoriz…(314) | e | éééééééééééé…(256)",
  "plain desc 257 with controls": "invalid_callback: a callback parameter contains control characters | - | -",
  "plain many pairs": "input_too_large: the callback URL is longer than 16384 characters | - | -",
  "plain many empty pairs": "ok C pay -",
  "plain many =": "ok C pay -",
  "plain payload": "ok C pay -",
  "plain flowId": "ok C pay -",
  "plain scheme only": "invalid_callback: the callback is not a valid http(s) URL | - | -",
  "plain bad url": "invalid_callback: the callback is not a valid http(s) URL | - | -",
  "plain empty": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain just #": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain just ?": "invalid_callback: the callback carries no code, state or error parameter | - | -",
  "plain ?#code": "invalid_callback: the response arrived in the URL fragment; this library reads the query (response_mode=query) | - | -",
  "plain two #": "invalid_callback: the response arrived in the URL fragment; this library reads the query (response_mode=query) | - | -",
  "plain query # in value": "ok C# pay -",
  "plain lone surrogate": "invalid_callback: the callback is not a valid http(s) URL | - | -",
  "plain lone surrogate fragment": "invalid_callback: the callback is not a valid http(s) URL | - | -",
  "plain NUL raw": "invalid_callback: the callback is not a valid http(s) URL | - | -",
  "plain CALLBACK_MAX": "ok C pay -",
  "plain CALLBACK_MAX+1": "input_too_large: the callback URL is longer than 16384 characters | - | -",
  "plain CALLBACK_MAX error": "authorization_error: the authoriz…(314) | e | dddddddddddd…(256)",
  "plain no pending": "missing_pending: no pending v…(168) | - | -",
  "issuer url ok": "issuer_mismatch: the callback carries no iss, and this issuer sends one (RFC 9207) | - | -",
  "issuer iss": "ok C pay https://as.example",
  "issuer iss raw": "ok C pay https://as.example",
  "issuer iss other": "issuer_mismatch: the callback's iss is not the expected issuer (RFC 9207) | - | -",
  "issuer iss empty": "issuer_mismatch: the callback's iss is not the expected issuer (RFC 9207) | - | -",
  "issuer iss dup": "invalid_callback: a callback parameter appears more than once (RFC 6749 §3.1) | - | -",
  "issuer error no state": "access_denied: the user refused consent (provider: access_denied) | access_denied | -",
  "issuer error access_denied": "issuer_mismatch: the callback carries no iss, and this issuer sends one (RFC 9207) | - | -",
  "issuer error wrong state": "state_mismatch: the callback's state is not the one this flow sent | - | -",
  "issuer error + desc": "issuer_mismatch: the callback carries no iss, and this issuer sends one (RFC 9207) | - | -",
  "issuer no pending": "missing_pending: no pending v…(168) | - | -",
  "codeParams url ok": "ok C pay -",
  "codeParams both codes": "ok AC pay -",
  "codeParams authorization_code": "ok AC pay -",
  "codeParams authorization_code only": "state_mismatch: the callback carries no state | - | -",
  "codeParams error + code": "access_denied: the user refused consent (provider: access_denied) | access_denied | -",
  "codeParams empty code": "missing_code: the callback carries neither a code nor an error | - | -",
};

const FORMS = ["path", "bare", "bareq"];
const check = (r) => {
  assert.equal(r.n, 603);
  let forms = 0;
  for (const [label, want] of Object.entries(HAND)) assert.equal(short(r.rows[label]), want, label);
  for (const client of ["plain", "issuer", "codeParams"]) {
    // The 19 shapes given in all four forms ("url ? in fragment" is a URL-level case of its own).
    for (const label of Object.keys(r.rows).filter((l) => l.startsWith(`${client} url `) && `${client} path ${l.slice(client.length + 5)}` in r.rows)) {
      for (const form of FORMS) {
        const other = label.replace(" url ", ` ${form} `);
        assert.deepEqual(r.rows[other], r.rows[label], other);
        forms++;
      }
    }
  }
  assert.equal(forms, 3 * 19 * 3);
  // Never a provider field holding the code or the state, in any row.
  for (const [label, v] of Object.entries(r.rows)) {
    if (v[0] !== "ERR") continue;
    for (const f of [v[3], v[4]]) if (f !== "-") assert.ok(f === "" || !/^C$|AQEAAAAA/.test(f), label);
  }
};

// Held: 603 hand-written callbacks per build (201 per client: 19 query/fragment shapes × 4 forms, 108 query cases,
// 17 URL-level cases; and one with no pending value): every answer (code, message, providerCode, providerMessage, state,
// payload, iss, flowId, flowExpiresAt) identical to d6f1564's, in both builds alike.
test("review134 (held): hand-written callbacks answer as d6f1564's (page build)", async () => {
  const r = await runs.handPage;
  check(r);
  assert.equal(r.sha, "33943d6c20b3b8ab");
});

test("review134 (held): hand-written callbacks answer as d6f1564's (full build)", async () => {
  const r = await runs.handFull;
  check(r);
  assert.equal(r.sha, "33943d6c20b3b8ab");
});

// Held: random pair lists (names and values of the brief's kinds, `&&`, `=` without a name, percent-encoded names,
// controls, invalid UTF-8, U+FFFD, long values) in the query, the fragment, both or neither, through the three
// clients: identical to d6f1564's (by hand: 60,000 per build and mode besides these, also identical).
test("review134 (held): fuzzed callbacks answer as d6f1564's (both builds)", async () => {
  // Re-pinned (coordinator, twenty-ninth session): a bare query holding an unencoded `iss=https://…` is read as a
  // query, no longer refused as not a URL (tests/callback.rs); 222 answers a build changed, each of that class alone.
  const want = {"n": 4500, "sha": "cfe84e48b3c9fcc8", "tally": {"invalid_callback": 3906, "state_mismatch": 405, "access_denied": 18, "authorization_error": 144, "missing_code": 14, "issuer_mismatch": 9, "ok": 4}};
  assert.deepEqual(await runs.fuzzPage, want);
  assert.deepEqual(await runs.fuzzFull, want);
  const mild = {"n": 4500, "sha": "a599dd51dddc22f4", "tally": {"invalid_callback": 3309, "state_mismatch": 822, "missing_code": 79, "authorization_error": 167, "access_denied": 19, "ok": 37, "issuer_mismatch": 67}};
  assert.deepEqual(await runs.mildPage, mild);
  assert.deepEqual(await runs.mildFull, mild);
});

// Held: on one client, 4,000 callbacks in a fixed pseudo-random order (provider errors with and without state and
// description, an error with a wrong state, successes, wrong states, access_denied with an empty description): each
// refused callback's providerCode / providerMessage are its own or absent, never an earlier error's; no status or
// bodyExcerpt; each success its own code. No crate path calls `with_provider` twice (its one caller is the oracle,
// fuzz and test builds only); `with_provider_bytes`'s one caller gives it a fresh error.
test("review134 (held): no stale provider fields across refused and accepted callbacks (both builds)", async () => {
  for (const r of [await runs.stalePage, await runs.staleFull]) {
    assert.equal(r.bad, 0, JSON.stringify(r.badRows));
    assert.deepEqual(r.kinds, {"0": 500, "1": 528, "2": 495, "3": 501, "4": 535, "5": 456, "6": 482, "7": 503});
  }
});

// Held: refused callbacks with provider fields (200-byte descriptions, 300-byte codes, 600-byte é descriptions, with
// and without state) do not grow the wasm memory: 20,000 here, 100,000 by hand (both builds, both packages: no
// growth after the first 10 %).
test("review134 (held): repeated provider-error callbacks do not grow the wasm memory (both builds)", async () => {
  for (const r of [await runs.memoryPage, await runs.memoryFull]) {
    assert.equal(r.refused, 20000);
    assert.equal(r.grew, 0, JSON.stringify(r.sizes));
  }
});
