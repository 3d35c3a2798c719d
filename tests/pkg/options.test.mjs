// Client and startAuthorization options: every case of the frozen table
// gives the same code and message, byte for byte, as the release before
// issue 26 (frozen/options-errors.json, written by that build), in the full
// and the page build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as page from "../../pkg/page/partner_oauth.js";
import { OAuthClient } from "../../pkg/node.js";
import { cases, outcome } from "./frozen/options-cases.mjs";

page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
const frozen = JSON.parse(readFileSync(new URL("./frozen/options-errors.json", import.meta.url), "utf8"));

test("the frozen table covers every case and nothing else", () => {
  assert.deepEqual(cases.map(([name]) => name).sort(), Object.keys(frozen).sort());
});

for (const [build, Client] of [["full", OAuthClient], ["page", page.OAuthClient]]) {
  test(`options read as the release before issue 26 read them (${build} build)`, () => {
    for (const c of cases) assert.deepEqual(outcome(Client, c), frozen[c[0]], c[0]);
  });
}

// Review: options.js checks a value on one read and writes the record from
// another (plain() then read()'s Object.entries; Object.values then
// Object.entries for an object of strings; every() then map() for a list).
// A getter or Proxy answering differently the second time gets past the
// checks: a lone surrogate in a string (whose record length, counted as 2
// bytes, is then one short of TextEncoder's 3: the record misparses), or a
// value that is not a string at all, made text by its Symbol.toPrimitive.
for (const [build, Client] of [["full", OAuthClient], ["page", page.OAuthClient]]) {
  test(`what the options reader checked is what the core gets: a getter read twice does not put an unchecked value in the record (${build} build)`, () => {
    const redirectUri = "https://app.example/cb";
    const client = new Client({ provider: "payfit", clientId: "c", redirectUri });
    const refused = (e) => e?.code === "invalid_config";
    const run = (options) => {
      try {
        return client.startAuthorization(options);
      } catch (e) {
        return e;
      }
    };

    // A payload well-formed when checked, a lone surrogate when written.
    let reads = 0;
    const started = run({ get payload() { return reads++ === 0 ? "ok" : "a\uD800b"; } });
    if (!refused(started)) {
      const { payload } = client.parseCallback(`${redirectUri}?code=x&state=${started.state}`, started.pending);
      assert.equal(payload, "ok", `the payload read ${reads} times reached the core as ${JSON.stringify(payload)}`);
    }

    // A parameter a string when checked, an object when written.
    let converted = false;
    let second = 0;
    const value = { [Symbol.toPrimitive]: () => ((converted = true), "3:zzz") };
    const params = { get extra() { return second++ === 0 ? "v" : value; } };
    const withParams = run({ params });
    assert.equal(converted, false, `a parameter that is not a string was made record text: ${withParams.url ?? withParams}`);
    assert.ok(refused(withParams) || withParams.url.endsWith("&extra=v"), withParams.url ?? String(withParams));
  });
}

// A whole number past u64::MAX is refused: every double from 2^64 up
// (printed 18446744073709552000), none below (the largest prints
// 18446744073709550000), in both builds.
for (const [build, Client] of [["full", OAuthClient], ["page", page.OAuthClient]]) {
  test(`the range of a whole-number option ends at u64::MAX (${build} build)`, () => {
    const message = (n) => {
      try {
        new Client({ provider: "billit", clientId: "c", redirectUri: "https://app.example/cb", preset: { defaultLifetime: n } }).free();
        return "ok";
      } catch (e) {
        return e.message;
      }
    };
    const range = "client options.preset.defaultLifetime must be a whole number in range";
    for (const n of [2 ** 64, 2 ** 64 + 4096, 1e20, 99999999999999990000]) assert.equal(message(n), range, String(n));
    for (const n of [2 ** 64 - 2048, 2 ** 53, 0]) assert.notEqual(message(n), range, String(n));
  });
}

// Review 60 (an outside attack on the session's reader changes). Each runs
// a fresh copy of options.js (its own module instance) so that builtins
// tampered with before its import count.
const freshReader = (tag) => import(`../../src/wasm/options.js?${tag}`);
const answerOf = (read, value) => {
  try {
    return read(value);
  } catch (e) {
    return `${e.name} ${e.code}: ${e.message}`;
  }
};

test("review60 C1: an accessor named pairs on Object.prototype changes no record", async () => {
  const { startOptions } = await freshReader("c1");
  const expected = startOptions({ params: { a: "1" } });
  let reads = 0;
  const evil = [["a", { length: 0, toString: () => "1:x" }], ["evil", "injected"]];
  Object.defineProperty(Object.prototype, "pairs", { configurable: true, get: () => (reads++ ? evil : undefined), set() {} });
  try {
    assert.equal(answerOf(startOptions, { params: { a: "1" } }), expected);
  } finally {
    delete Object.prototype.pairs;
  }
  Object.defineProperty(Object.prototype, "pairs", { configurable: true, value: 7, writable: false });
  try {
    assert.equal(answerOf(startOptions, { params: { a: "1" } }), expected);
  } finally {
    delete Object.prototype.pairs;
  }
});

test("review60 C2: without String.prototype.isWellFormed, a polluted Object.prototype.isWellFormed is not used", async () => {
  const own = Object.getOwnPropertyDescriptor(String.prototype, "isWellFormed");
  delete String.prototype.isWellFormed;
  Object.prototype.isWellFormed = true;
  let reader;
  try {
    reader = await freshReader("c2");
  } finally {
    delete Object.prototype.isWellFormed;
    if (own) Object.defineProperty(String.prototype, "isWellFormed", own);
  }
  Object.prototype.isWellFormed = () => true;
  try {
    assert.equal(answerOf(reader.startOptions, { payload: "p" }), "~1:p~~");
    assert.match(answerOf(reader.startOptions, { payload: "a\uD800" }), /invalid_config/);
  } finally {
    delete Object.prototype.isWellFormed;
  }
});

const PAYLOADS = ["\uD800", "a\uDC00b", "\uD83D\uDE00", "\uDE00\uD83D", "\uD800".repeat(5) + "P".repeat(5) + "~1:14:evil8:injected", "é\u0800x"];
test("review60 C3: a text's record length is the bytes TextEncoder writes, a lone surrogate included", async () => {
  // A reader whose well-formedness check is broken (a bad polyfill of
  // RegExp's test): a lone surrogate gets through, and its length must
  // still be the 3 bytes of the U+FFFD TextEncoder writes, or the record's
  // later fields come from the payload.
  const reader = await freshReader("c3");
  const { test: own } = RegExp.prototype;
  RegExp.prototype.test = () => false;
  const records = [];
  try {
    for (const payload of PAYLOADS) records.push(reader.startOptions({ payload }));
  } finally {
    RegExp.prototype.test = own;
  }
  const utf8 = new TextEncoder();
  PAYLOADS.forEach((payload, i) => assert.equal(records[i], `~${utf8.encode(payload).length}:${payload}~~`, JSON.stringify(payload)));
});
