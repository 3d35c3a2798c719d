// Issue 26 (helper vg46): the page build grows its byte buffers with its own code (src/wasm/raw.rs' `room`, `put`,
// `put_within`) and writes the record's lists at their count (`filled`), instead of alloc's growth path. Here its
// starts, callbacks, errors and lists cross every size a buffer grows through (a few bytes to past the start's 1 KiB
// and several doublings) and answer as the full build does: the same URL but for the state and challenge, each
// build's flow finished by the other, the same refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as page from "../../pkg/page/partner_oauth.js";
import * as full from "../../pkg/node.js";

page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });

const redirectUri = "https://app.example.com/cb";
const outcome = (call) => {
  try {
    return call();
  } catch (e) {
    return e;
  }
};
// The URL without the two values each start draws afresh.
const fixed = (url) => url.replace(/([?&])(state|code_challenge)=[^&]*/g, "$1$2=");
const sizes = [0, 1, 2, 3, 7, 8, 9, 16, 17, 31, 33, 63, 65, 127, 129, 255, 257, 511, 513, 1023, 1025, 2047, 2048, 2049];

test("page-growth: starts and callbacks of every size answer as the full build's", () => {
  for (const keys of [1, 2, 5, 8]) {
    const stateKey = Array.from({ length: keys }, (_, i) => String.fromCharCode(97 + i).repeat(32 + i));
    const options = {
      provider: "custom",
      clientId: "client-" + "c".repeat(keys * 40),
      redirectUri,
      stateKey: keys === 1 ? stateKey[0] : stateKey,
      endpoints: { authorize: "https://as.example.com/authorize", token: "https://as.example.com/token" },
      preset: {
        authorizeParams: Object.fromEntries(Array.from({ length: keys * 3 }, (_, i) => [`ap${i}`, "é&=".repeat(i)])),
        codeParams: Array.from({ length: keys * 2 }, (_, i) => (i === keys ? "code" : `cp${i}`)),
      },
    };
    const p = new page.OAuthClient(options), f = new full.OAuthClient(options);
    for (const n of sizes) {
      const start = {
        scopes: Array.from({ length: n % 40 }, (_, i) => `s${i}:${"x".repeat(i)}`),
        payload: "p ü&".repeat(n).slice(0, n),
        params: Object.fromEntries(Array.from({ length: n % 23 }, (_, i) => [`q${i}`, "v%/ ".repeat(i * 3)])),
      };
      const a = outcome(() => p.startAuthorization(start)), b = outcome(() => f.startAuthorization(start));
      if (b instanceof Error) {
        assert.ok(a instanceof full.OAuthError, `${keys}/${n}: ${a}`);
        assert.deepEqual([a.code, a.message], [b.code, b.message], `${keys}/${n}`);
        continue;
      }
      assert.equal(fixed(a.url), fixed(b.url), `${keys}/${n}`);
      assert.equal(a.url.length, b.url.length, `${keys}/${n}`);
      for (const [started, finisher] of [[a, f], [b, p]]) {
        const got = finisher.parseCallback(`${redirectUri}?code=${"k".repeat(n + 1)}&state=${started.state}`, started.pending);
        assert.deepEqual([got.code, got.payload ?? ""], ["k".repeat(n + 1), start.payload], `${keys}/${n}`);
        assert.equal(got.flowId, started.flowId);
      }
      // A provider's error of every length: its texts cut and cleaned alike.
      const description = "d\u0001é".repeat(n);
      const [x, y] = [[a, p], [b, f]].map(([s, c]) =>
        outcome(() => c.parseCallback(`${redirectUri}?error=e${n}&error_description=${encodeURIComponent(description)}&state=${s.state}`, s.pending)));
      assert.deepEqual([x.code, x.message, x.providerCode, x.providerMessage], [y.code, y.message, y.providerCode, y.providerMessage], `${keys}/${n}`);
    }
    p.free();
    f.free();
  }
});

test("page-growth: an unknown environment lists the preset's, too many keys are refused, as the full build does; PKCE of every verifier", () => {
  for (const provider of ["billit", "payfit", "factorial", "payout", "tropipay"]) {
    const options = { provider, clientId: "c", redirectUri, environment: "nowhere" };
    const [a, b] = [page, full].map((m) => outcome(() => new m.OAuthClient(options)));
    assert.deepEqual([a.code, a.message], [b.code, b.message], provider);
  }
  for (const keys of [0, 9, 40]) {
    const options = { provider: "billit", clientId: "c", redirectUri, stateKey: Array.from({ length: keys }, (_, i) => "k".repeat(32 + i)) };
    const [a, b] = [page, full].map((m) => outcome(() => new m.OAuthClient(options)));
    assert.deepEqual([a.code, a.message], [b.code, b.message], `${keys}`);
  }
  for (let n = 43; n <= 128; n++) {
    const verifier = "a-._~0Z".repeat(20).slice(0, n);
    assert.equal(page.pkceChallenge(verifier), full.pkceChallenge(verifier), `${n}`);
  }
});

// Helper pg47: the page compares names, schemes and hosts in any casing with its own loop (text.rs' `folded_eq`),
// the full build with core's `eq_ignore_ascii_case`: the same URIs and parameters accepted and refused.
test("page-growth: schemes, hosts and parameter names in any casing answer as the full build's", () => {
  const uris = ["HTTPS://app.example.com/cb", "hTtPs://APP.example.COM/cb", "http://LOCALHOST:8080/cb", "http://LocalHost/cb",
    "http://localhosT./cb", "http://localhost\u00e9/cb", "http://app.example.com/cb", "HTTP://127.0.0.1/cb", "httpS:/x", "htTps://"];
  const endpoints = ["https://AS.example.com/authorize", "HTTPS://as.EXAMPLE.com/token", "http://LOCALHOST/t", "https://as.example.co/t"];
  for (const uri of uris) {
    for (const token of endpoints) {
      const options = { provider: "custom", clientId: "c", redirectUri: uri, endpoints: { authorize: endpoints[0], token } };
      const [a, b] = [page, full].map((m) => outcome(() => new m.OAuthClient(options)));
      if (b instanceof Error) {
        assert.deepEqual([a.code, a.message], [b.code, b.message], `${uri} ${token}`);
        continue;
      }
      assert.ok(!(a instanceof Error), `${uri} ${token}: ${a}`);
      for (const name of ["STATE", "Client_ID", "scopE", "q1", "Q1", "q\u00c91", "redirect_urI", "x", "X", "cp"]) {
        const start = { params: { q1: "v", [name]: "w" } };
        const [x, y] = [a, b].map((c) => outcome(() => c.startAuthorization(start)));
        if (y instanceof Error) assert.deepEqual([x.code, x.message], [y.code, y.message], `${uri} ${name}`);
        else assert.equal(fixed(x.url), fixed(y.url), `${uri} ${name}`);
      }
      a.free();
      b.free();
    }
  }
});
