// Review 133 (outside reviewer on helper sh50, 4cbd456..525659d: `ClientInput` holds `stateMaxAge` and `timeoutMs` as
// plain u64s, its two builders (`record::read_client` for both wasm builds, `Client::new` for Rust callers) put in the
// defaults, `from_input` reads no `Option` tags; the range checks (1..=86,400 s; 1..=300,000 ms) unchanged, the
// timeout's split into `timeout_in_range` under the public `client::timeout_ms` that jwt.rs still calls).
// Differential runs of d6f1564's (/tmp/review128-old/pkg) and 8da8cf7's packages, page (page-node.js) and full
// (node.js) builds, with the same random bytes (xorshift) and clock, gave identical answers everywhere; the values
// below are 8da8cf7's, frozen. Confirmed nothing. The scripts are review133-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review133-scripts.mjs", import.meta.url).href;
const run = childRunner(scripts, pkg);
const runs = {
  numbersPage: run("s.numbers(pkg, 'page-node.js')"),
  numbersFull: run("s.numbers(pkg, 'node.js')"),
  edgesPage: run("s.edges(pkg, 'page-node.js')"),
  edgesFull: run("s.edges(pkg, 'node.js')"),
  timeouts: run("s.timeouts(pkg)"),
  records: run("s.records(pkg)"),
  cross: run("s.cross(pkg, pkg)"),
  fuzzPage: run("s.fuzz(pkg, 'page-node.js', 1337, 3000)"),
  fuzzFull: run("s.fuzz(pkg, 'node.js', 1338, 2000)"),
};

// Per value (VALUES in the scripts): the constructor's code with `stateMaxAge`, then with `timeoutMs`, set to it (the
// other absent). Absent, undefined and null are the defaults (600 s, 10,000 ms); 0, -0, one past each limit, 2^32±1,
// 2^53, 2^64−1 (the double 2^64), 2^64, negatives, fractions, NaN, ±Infinity, strings (digits too, and 400 of them),
// BigInt, booleans, lists and objects are refused; a Number object is its JSON value (JSON.stringify's round trip).
const CTOR = {
  "0": "invalid_config invalid_config",
  "1": "ok ok",
  "2": "ok ok",
  "599": "ok ok",
  "600": "ok ok",
  "601": "ok ok",
  "9999": "ok ok",
  "10000": "ok ok",
  "10001": "ok ok",
  "86399": "ok ok",
  "86400": "ok ok",
  "86401": "invalid_config ok",
  "299999": "invalid_config ok",
  "300000": "invalid_config ok",
  "300001": "invalid_config invalid_config",
  "absent": "ok ok",
  "undefined": "ok ok",
  "null": "ok ok",
  "-0": "invalid_config invalid_config",
  "2^31-1": "invalid_config invalid_config",
  "2^31": "invalid_config invalid_config",
  "2^32-2": "invalid_config invalid_config",
  "2^32-1": "invalid_config invalid_config",
  "2^32": "invalid_config invalid_config",
  "2^32+1": "invalid_config invalid_config",
  "2^32+600": "invalid_config invalid_config",
  "2^32+86400": "invalid_config invalid_config",
  "2^53-1": "invalid_config invalid_config",
  "2^53": "invalid_config invalid_config",
  "2^53+2": "invalid_config invalid_config",
  "2^63": "invalid_config invalid_config",
  "2^64-2048": "invalid_config invalid_config",
  "2^64-1": "invalid_config invalid_config",
  "2^64": "invalid_config invalid_config",
  "2^65": "invalid_config invalid_config",
  "1e20": "invalid_config invalid_config",
  "1e21": "invalid_config invalid_config",
  "1e300": "invalid_config invalid_config",
  "MAX_VALUE": "invalid_config invalid_config",
  "-1": "invalid_config invalid_config",
  "-600": "invalid_config invalid_config",
  "-2^64": "invalid_config invalid_config",
  "0.5": "invalid_config invalid_config",
  "1.5": "invalid_config invalid_config",
  "600.5": "invalid_config invalid_config",
  "86400.5": "invalid_config invalid_config",
  "299999.9": "invalid_config invalid_config",
  "1e-7": "invalid_config invalid_config",
  "MIN_VALUE": "invalid_config invalid_config",
  "NaN": "invalid_config invalid_config",
  "Infinity": "invalid_config invalid_config",
  "-Infinity": "invalid_config invalid_config",
  "\"600\"": "invalid_config invalid_config",
  "\"\"": "invalid_config invalid_config",
  "\"abc\"": "invalid_config invalid_config",
  "\" 600\"": "invalid_config invalid_config",
  "\"1e3\"": "invalid_config invalid_config",
  "9x400": "invalid_config invalid_config",
  "1+0x400": "invalid_config invalid_config",
  "true": "invalid_config invalid_config",
  "false": "invalid_config invalid_config",
  "[]": "invalid_config invalid_config",
  "[600]": "invalid_config invalid_config",
  "{}": "invalid_config invalid_config",
  "600n": "invalid_config invalid_config",
  "Number(600)": "ok ok",
  "{valueOf}": "invalid_config invalid_config",
};

// Held: 472 clients per build (66 values of each number alone, then 13 × 13 values of both with a good and a refused
// redirect URI: which refusal comes first): the constructor's answer, the full build's `timeoutMs`, the start's URL,
// state, pending value (its fields: no max age is recorded in it), flowId and flowExpiresAt (start + max + 1 s), the
// callback at −1, max−1, max, max+0.999, max+1, max+1.001 and max+2 seconds in this build and in the other build's
// client with the same options, and a full-build exchange of the flow with the ms io.js gave AbortSignal.timeout
// (the core's `timeoutMs`: 10,000 when absent): identical to d6f1564's.
test("review133 (held): stateMaxAge and timeoutMs construct, start, call back and exchange as d6f1564's (page build)", async () => {
  const r = await runs.numbersPage;
  assert.equal(r.n, 472);
  assert.equal(r.sha, "1fc20fb6615edadc");
  assert.deepEqual(r.tally, {"ok": 66, "invalid_config": 356, "invalid_redirect_uri": 50});
  assert.deepEqual(r.ctor, CTOR);
});

test("review133 (held): stateMaxAge and timeoutMs construct, start, call back and exchange as d6f1564's (full build)", async () => {
  const r = await runs.numbersFull;
  assert.equal(r.n, 472);
  assert.equal(r.sha, "714c2b1c3ca8e1f0");
  assert.deepEqual(r.tally, {"ok": 66, "invalid_config": 356, "invalid_redirect_uri": 50});
  assert.deepEqual(r.ctor, CTOR);
});

// Per max age: flowExpiresAt − start (ms), then the callback at −1 s, max−1, max, max+0.999, max+1, max+1.001 and
// max+2 seconds: a flow lives max to max + 1 s (whole seconds), in both builds alike.
const EDGES = {
  "1": [2000, "ok 2000", "ok 2000", "ok 2000", "ok 2000", "state_expired: the authorization flow is older than 1 second", "state_expired: the authorization flow is older than 1 second", "state_expired: the authorization flow is older than 1 second"],
  "2": [3000, "ok 3000", "ok 3000", "ok 3000", "ok 3000", "state_expired: the authorization flow is older than 2 seconds", "state_expired: the authorization flow is older than 2 seconds", "state_expired: the authorization flow is older than 2 seconds"],
  "599": [600000, "ok 600000", "ok 600000", "ok 600000", "ok 600000", "state_expired: the authorization flow is older than 599 seconds", "state_expired: the authorization flow is older than 599 seconds", "state_expired: the authorization flow is older than 599 seconds"],
  "600": [601000, "ok 601000", "ok 601000", "ok 601000", "ok 601000", "state_expired: the authorization flow is older than 600 seconds", "state_expired: the authorization flow is older than 600 seconds", "state_expired: the authorization flow is older than 600 seconds"],
  "601": [602000, "ok 602000", "ok 602000", "ok 602000", "ok 602000", "state_expired: the authorization flow is older than 601 seconds", "state_expired: the authorization flow is older than 601 seconds", "state_expired: the authorization flow is older than 601 seconds"],
  "86399": [86400000, "ok 86400000", "ok 86400000", "ok 86400000", "ok 86400000", "state_expired: the authorization flow is older than 86399 seconds", "state_expired: the authorization flow is older than 86399 seconds", "state_expired: the authorization flow is older than 86399 seconds"],
  "86400": [86401000, "ok 86401000", "ok 86401000", "ok 86401000", "ok 86401000", "state_expired: the authorization flow is older than 86400 seconds", "state_expired: the authorization flow is older than 86400 seconds", "state_expired: the authorization flow is older than 86400 seconds"],
};

test("review133 (held): the callback's age check at the edges of 1, 2, 599, 600, 601, 86,399 and 86,400 s", async () => {
  assert.deepEqual(await runs.edgesPage, EDGES);
  assert.deepEqual(await runs.edgesFull, EDGES);
});

// Held: a refresh whose fetch never answers times out at the core's timeoutMs (AbortSignal.timeout given exactly
// it, the error naming it, not sooner); absent is 10,000. verifyAccessToken's JWKS fetch (jwt.rs reads its timeoutMs
// through `client::timeout_ms`, the function sh50 split) takes the same values and refusals: `code ms`.
const JWKS = {
  "0": "invalid_config ",
  "1": "key_not_found 1",
  "2": "key_not_found 2",
  "599": "key_not_found 599",
  "600": "key_not_found 600",
  "601": "key_not_found 601",
  "9999": "key_not_found 9999",
  "10000": "key_not_found 10000",
  "10001": "key_not_found 10001",
  "86399": "key_not_found 86399",
  "86400": "key_not_found 86400",
  "86401": "key_not_found 86401",
  "299999": "key_not_found 299999",
  "300000": "key_not_found 300000",
  "300001": "invalid_config ",
  "absent": "key_not_found 10000",
  "undefined": "key_not_found 10000",
  "null": "key_not_found 10000",
  "-0": "invalid_config ",
  "2^31-1": "invalid_config ",
  "2^31": "invalid_config ",
  "2^32-2": "invalid_config ",
  "2^32-1": "invalid_config ",
  "2^32": "invalid_config ",
  "2^32+1": "invalid_config ",
  "2^32+600": "invalid_config ",
  "2^32+86400": "invalid_config ",
  "2^53-1": "invalid_config ",
  "2^53": "invalid_config ",
  "2^53+2": "invalid_config ",
  "2^63": "invalid_config ",
  "2^64-2048": "invalid_config ",
  "2^64-1": "invalid_config ",
  "2^64": "invalid_config ",
  "2^65": "invalid_config ",
  "1e20": "invalid_config ",
  "1e21": "invalid_config ",
  "1e300": "invalid_config ",
  "MAX_VALUE": "invalid_config ",
  "-1": "invalid_config ",
  "-600": "invalid_config ",
  "-2^64": "invalid_config ",
  "0.5": "invalid_config ",
  "1.5": "invalid_config ",
  "600.5": "invalid_config ",
  "86400.5": "invalid_config ",
  "299999.9": "invalid_config ",
  "1e-7": "invalid_config ",
  "MIN_VALUE": "invalid_config ",
  "NaN": "invalid_config ",
  "Infinity": "invalid_config ",
  "-Infinity": "invalid_config ",
  "\"600\"": "invalid_config ",
  "\"\"": "invalid_config ",
  "\"abc\"": "invalid_config ",
  "\" 600\"": "invalid_config ",
  "\"1e3\"": "invalid_config ",
  "9x400": "invalid_config ",
  "1+0x400": "invalid_config ",
  "true": "invalid_config ",
  "false": "invalid_config ",
  "[]": "invalid_config ",
  "[600]": "invalid_config ",
  "{}": "invalid_config ",
  "600n": "invalid_config ",
  "Number(600)": "key_not_found 600",
  "{valueOf}": "invalid_config ",
};

test("review133 (held): the exchange's and the JWKS fetch's timeout are the core's timeoutMs", async () => {
  const r = await runs.timeouts;
  for (const ms of [1, 2, 25]) assert.deepEqual(r.out[ms], [["ERR", "timeout", `no response within ${ms} ms`], [ms], true], String(ms));
  assert.deepEqual(r.out.absent[1], [10000]);
  assert.equal(r.out.absent[0].accessToken, "at");
  assert.deepEqual(r.jwks, JWKS);
});

// The full build's core class (io.js' OAuthClient's superclass) given hand-written records, `<stateMaxAge slot>
// <timeoutMs slot>`: [constructor, timeoutMs, flowExpiresAt − start]. A slot options.js never writes (a sign, a
// fraction, past u64::MAX, not digits) reads as absent, the default, as it did before sh50 (d6f1564 alike): never a
// value past the range checks. u64::MAX itself and every in-between number are range-checked.
const RECORDS = {
  "~ ~": ["ok", 10000, 601000],
  "0: ~": [["ERR", "invalid_config", "stateMaxAge must be 1 to 86400 seconds"]],
  "~ 0:": [["ERR", "invalid_config", "timeoutMs must be 1 to 300000"]],
  "1:0 ~": [["ERR", "invalid_config", "stateMaxAge must be 1 to 86400 seconds"]],
  "~ 1:0": [["ERR", "invalid_config", "timeoutMs must be 1 to 300000"]],
  "1:1 ~": ["ok", 10000, 2000],
  "~ 1:1": ["ok", 1, 601000],
  "3:600 ~": ["ok", 10000, 601000],
  "~ 3:600": ["ok", 600, 601000],
  "5:86400 ~": ["ok", 10000, 86401000],
  "~ 5:86400": ["ok", 86400, 601000],
  "5:86401 ~": [["ERR", "invalid_config", "stateMaxAge must be 1 to 86400 seconds"]],
  "~ 5:86401": ["ok", 86401, 601000],
  "6:300000 ~": [["ERR", "invalid_config", "stateMaxAge must be 1 to 86400 seconds"]],
  "~ 6:300000": ["ok", 300000, 601000],
  "6:300001 ~": [["ERR", "invalid_config", "stateMaxAge must be 1 to 86400 seconds"]],
  "~ 6:300001": [["ERR", "invalid_config", "timeoutMs must be 1 to 300000"]],
  "10:4294967295 ~": [["ERR", "invalid_config", "stateMaxAge must be 1 to 86400 seconds"]],
  "~ 10:4294967295": [["ERR", "invalid_config", "timeoutMs must be 1 to 300000"]],
  "10:4294967296 ~": [["ERR", "invalid_config", "stateMaxAge must be 1 to 86400 seconds"]],
  "~ 10:4294967296": [["ERR", "invalid_config", "timeoutMs must be 1 to 300000"]],
  "10:4294967896 ~": [["ERR", "invalid_config", "stateMaxAge must be 1 to 86400 seconds"]],
  "~ 10:4294967896": [["ERR", "invalid_config", "timeoutMs must be 1 to 300000"]],
  "20:18446744073709551615 ~": [["ERR", "invalid_config", "stateMaxAge must be 1 to 86400 seconds"]],
  "~ 20:18446744073709551615": [["ERR", "invalid_config", "timeoutMs must be 1 to 300000"]],
  "20:18446744073709551616 ~": ["ok", 10000, 601000],
  "~ 20:18446744073709551616": ["ok", 10000, 601000],
  "21:184467440737095516160 ~": ["ok", 10000, 601000],
  "~ 21:184467440737095516160": ["ok", 10000, 601000],
  "21:000000000000000000600 ~": ["ok", 10000, 601000],
  "~ 21:000000000000000000600": ["ok", 600, 601000],
  "2:-1 ~": ["ok", 10000, 601000],
  "~ 2:-1": ["ok", 10000, 601000],
  "3:1.5 ~": ["ok", 10000, 601000],
  "~ 3:1.5": ["ok", 10000, 601000],
  "3:1e3 ~": ["ok", 10000, 601000],
  "~ 3:1e3": ["ok", 10000, 601000],
  "4: 600 ~": ["ok", 10000, 601000],
  "~ 4: 600": ["ok", 10000, 601000],
  "3:abc ~": ["ok", 10000, 601000],
  "~ 3:abc": ["ok", 10000, 601000],
  "1:t ~": ["ok", 10000, 601000],
  "~ 1:t": ["ok", 10000, 601000],
  "3:６００ ~": ["ok", 10000, 601000],
  "~ 3:６００": ["ok", 10000, 601000],
  "4:600\u0000 ~": ["ok", 10000, 601000],
  "~ 4:600\u0000": ["ok", 10000, 601000],
};

test("review133 (held): hand-written number slots in the full build's record read as d6f1564's", async () => {
  assert.deepEqual(await runs.records, RECORDS);
});

// Held: 288 flows started by one build and finished by the other (and by the same build), unkeyed and with a state
// key, the start's max age and the finishing client's differing: the finishing client's max governs, flowExpiresAt
// is its own. d6f1564's package finishing 8da8cf7's flows and the reverse gave the same 288 answers.
test("review133 (held): flows cross between the page and full builds at the finishing client's max age", async () => {
  const r = await runs.cross;
  assert.equal(r.n, 288);
  assert.equal(r.sha, "28ca90c6ca2014fb");
  assert.equal(r.outSha, "bad2fe89d51fad61");
  assert.equal(r.out["ap>bf - absent>absent"], "601000 601000 601000 601000 601000 state_expired state_expired state_expired");
  assert.equal(r.out["af>bp keyed 1>1"], "2000 2000 2000 2000 2000 state_expired state_expired state_expired");
  assert.equal(r.out["bp>af keyed 600>1"], "601000 2000 2000 2000 2000 state_expired state_expired state_expired");
  assert.equal(r.out["af>bp - 86400>absent"], "86401000 601000 601000 601000 601000 state_expired state_expired state_expired");
});

// Held: 3,000 (page) and 2,000 (full) fuzzed option sets (both numbers from the listed values, near the limits,
// powers of two ±1, random whole numbers and fractions; other options right or wrong), constructed, started, called
// back near the edge and (full) exchanged: identical to d6f1564's, and to 400,000 more (seeds 41 to 44, 50,000
// each, in both builds).
test("review133 (held): fuzzed stateMaxAge and timeoutMs answer as d6f1564's", async () => {
  const p = await runs.fuzzPage;
  assert.equal(p.sha, "7172e76381663771");
  assert.deepEqual(p.tally, {"invalid_config": 2377, "ok": 474, "unknown_provider": 88, "invalid_redirect_uri": 61});
  const f = await runs.fuzzFull;
  assert.equal(f.sha, "09f1cdfe0dcd610d");
  assert.deepEqual(f.tally, {"ok": 229, "invalid_config": 1687, "invalid_redirect_uri": 35, "unknown_provider": 49});
});
