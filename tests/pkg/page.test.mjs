// The page build (`partner-oauth/page`, pkg/page/) after wasm-opt: it starts
// flows and parses callbacks exactly as the full build does, shares its
// OAuthError class, and carries nothing that sends a request. Loaded here
// with initSync; page.js itself (top-level await of a URL) runs in
// Chromium, tests/consumers/browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as page from "../../pkg/page/partner_oauth.js";
import * as full from "../../pkg/node.js";

page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });

const redirectUri = "https://app.example.com/cb";
const options = { provider: "billit", clientId: "c", redirectUri, stateKey: "k".repeat(32) };
// What a call answered or threw; and whether that is a freed client's error.
const outcome = (call) => {
  try {
    return call();
  } catch (e) {
    return e;
  }
};
const freed = (e) => e instanceof full.OAuthError && e.code === "invalid_argument" && e.message === "this client was freed (free() was called)";

test("a flow started by the page build finishes in the full build, and back", () => {
  const pageClient = new page.OAuthClient(options);
  const fullClient = new full.OAuthClient(options);
  for (const [starter, finisher] of [[pageClient, fullClient], [fullClient, pageClient]]) {
    const { url, state, pending } = starter.startAuthorization({ payload: "user=1&co=2" });
    assert.match(url, /^https:\/\/my\.billit\.be\/Account\/Logon\?client_id=c&redirect_uri=/);
    const got = finisher.parseCallback(`${redirectUri}?code=abc&state=${state}`, pending);
    assert.deepEqual({ code: got.code, payload: got.payload }, { code: "abc", payload: "user=1&co=2" });
  }
});

test("a start names its flow (flowId, flowExpiresAt) as its callback will, in both builds", () => {
  for (const [starter, finisher] of [[new page.OAuthClient(options), new full.OAuthClient(options)], [new full.OAuthClient(options), new page.OAuthClient(options)]]) {
    const before = Date.now();
    const started = starter.startAuthorization();
    assert.deepEqual(Object.keys(started), ["url", "state", "pending", "flowId", "flowExpiresAt"]);
    assert.match(started.flowId, /^[A-Za-z0-9_-]{22}$/);
    // Whole seconds (the state's clock): refused from the second after its
    // 600 s (the default) have passed.
    assert.equal(started.flowExpiresAt % 1000, 0);
    assert.ok(started.flowExpiresAt >= Math.floor(before / 1000) * 1000 + 601_000 && started.flowExpiresAt <= Date.now() + 601_000);
    const got = finisher.parseCallback(`${redirectUri}?code=abc&state=${started.state}`, started.pending);
    assert.deepEqual([got.flowId, got.flowExpiresAt], [started.flowId, started.flowExpiresAt]);
  }
});

test("the same authorize URL byte for byte, given the same state", () => {
  // Both builds share the core; only the random parts differ between runs.
  const strip = (url) => url.replace(/(state|code_challenge)=[^&]+/g, "$1=…");
  const a = new page.OAuthClient({ provider: "payfit", clientId: "c", redirectUri }).startAuthorization({ scopes: ["employees:read"] });
  const b = new full.OAuthClient({ provider: "payfit", clientId: "c", redirectUri }).startAuthorization({ scopes: ["employees:read"] });
  assert.equal(strip(a.url), strip(b.url));
  assert.notEqual(a.url, b.url);
});

test("errors are the full build's OAuthError class, with the same codes", () => {
  const client = new page.OAuthClient(options);
  const { pending } = client.startAuthorization();
  assert.throws(() => client.parseCallback(`${redirectUri}?error=access_denied&state=x`, pending), (e) => {
    assert.ok(e instanceof full.OAuthError);
    assert.equal(e.code, "state_mismatch");
    return true;
  });
  // errorCodes() is JS shared by every entry (pkg/error-codes.js), not a wasm export.
  assert.equal(page.errorCodes, undefined);
  assert.equal(page.pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
});

test("no exchange, token parsing or JWT verification: those run on a server", () => {
  const client = new page.OAuthClient(options);
  for (const method of ["exchangeCode", "refresh", "clientCredentials", "introspect", "revoke", "fetchApi", "codeRequest", "refreshRequest", "parseTokenResponse", "isExpired"]) {
    assert.equal(client[method], undefined, method);
  }
  assert.equal(page.verifyAccessToken, undefined);
});

// The page build's hand-written glue (src/wasm/raw.js over src/wasm/raw.rs).

test("the page build's wasm imports nothing: randomness, time and the DOM check are arguments from the glue", () => {
  const module = new WebAssembly.Module(readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)));
  assert.deepEqual(WebAssembly.Module.imports(module), []);
  // No wasm-bindgen in it: its exports are the glue's, by name (the stack pointer's from the twenty-fourth session,
  // `g` in the twenty-fifth, for raw.js to put it back, review 110 F3; none since the twenty-sixth: each export puts
  // it at its top itself, scripts/stack-reset.awk).
  assert.deepEqual(WebAssembly.Module.exports(module).map((e) => e.name).sort(), [
    "a", "c", "d", "f", "h", "memory", "n", "p", "s", "t", "v",
  ]);
});

test("a client used after free() throws invalid_argument instead of trapping; free() twice and Symbol.dispose are no-ops after it", () => {
  const client = new page.OAuthClient(options);
  assert.equal(client.provider, "billit");
  const { pending, state } = client.startAuthorization();
  client.free();
  for (const use of [() => client.provider, () => client.environment, () => client.startAuthorization(), () => client.parseCallback(`${redirectUri}?code=a&state=${state}`, pending)]) {
    assert.throws(use, (e) => e instanceof full.OAuthError && e.code === "invalid_argument" && e.message === "this client was freed (free() was called)");
  }
  client.free();
  client[Symbol.dispose]?.();
  // The handle is private: nothing on the object to forge or read.
  assert.deepEqual(Object.keys(client), []);
  // Other clients are untouched.
  assert.equal(new page.OAuthClient(options).parseCallback(`${redirectUri}?code=a&state=${state}`, pending).code, "a");
});

test("answers read after the wasm's memory grew during the call are whole", () => {
  const exports = page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
  const before = exports.memory.buffer.byteLength;
  // A 4 MB extra parameter: the record, the URL being written and its
  // answer outgrow the memory the module had.
  const value = "v".repeat(4 << 20);
  const client = new page.OAuthClient({ provider: "payfit", clientId: "c", redirectUri });
  const { url, state, pending } = client.startAuthorization({ params: { extra: value } });
  assert.ok(exports.memory.buffer.byteLength > before, "the memory did not grow");
  assert.ok(url.startsWith("https://oauth.payfit.com/authorize?") && url.endsWith(`&extra=${value}`), url.slice(0, 200));
  assert.equal(client.parseCallback(`${redirectUri}?code=abc&state=${state}`, pending).code, "abc");
  // Grown again by the input's copy (36 MB asked for 12 M characters): the
  // error written after it reads whole.
  const grown = exports.memory.buffer.byteLength;
  assert.throws(() => client.parseCallback(`${redirectUri}?code=abc&state=${"x".repeat(12 << 20)}`, pending), (e) =>
    e instanceof full.OAuthError && e.code === "input_too_large" && /callback/.test(e.message));
  assert.ok(exports.memory.buffer.byteLength > grown, "the memory did not grow for the input");
  client.free();
  assert.equal(page.pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
});

test("no random bytes from the platform: random_unavailable from newPkceVerifier and startAuthorization, and the next draw works", () => {
  const client = new page.OAuthClient(options);
  const original = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  Object.defineProperty(globalThis, "crypto", { value: { getRandomValues() { throw new Error("no entropy"); } }, configurable: true });
  try {
    // The glue's 1 KiB pool may still hold bytes: draw until it needs the platform.
    const errors = [];
    for (let i = 0; i < 40 && errors.length === 0; i++) {
      try {
        newVerifierOrStart(i);
      } catch (e) {
        errors.push(e);
      }
    }
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof full.OAuthError);
    assert.deepEqual([errors[0].code, errors[0].message], ["random_unavailable", "the platform could not supply random bytes"]);
    assert.throws(() => client.startAuthorization(), (e) => e.code === "random_unavailable");
    assert.throws(() => page.newPkceVerifier(), (e) => e.code === "random_unavailable");
  } finally {
    Object.defineProperty(globalThis, "crypto", original);
  }
  const verifiers = new Set(Array.from({ length: 100 }, () => page.newPkceVerifier()));
  assert.equal(verifiers.size, 100);
  assert.match([...verifiers][0], /^[A-Za-z0-9_-]{43}$/);
  assert.match(client.startAuthorization().url, /^https:\/\/my\.billit\.be\//);

  function newVerifierOrStart(i) {
    return i % 2 ? page.newPkceVerifier() : client.startAuthorization();
  }
});

test("init: streams a Response served as application/wasm, falls back for another MIME type, refuses a failed fetch", async () => {
  const wasm = readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url));
  const fresh = async (tag) => import(`../../pkg/page/partner_oauth.js?${tag}`);
  for (const type of ["application/wasm", "application/octet-stream"]) {
    const glue = await fresh(type);
    await glue.default(Promise.resolve(new Response(wasm, { headers: { "content-type": type } })));
    assert.equal(new glue.OAuthClient(options).provider, "billit", type);
  }
  const glue = await fresh("404");
  await assert.rejects(glue.default(new Response("not here", { status: 404 })), /the wasm did not load \(HTTP 404\): serve page\/partner_oauth_bg.wasm beside the bundle/);
  // A compiled Module, as a bundler that imports .wasm gives it.
  const compiled = await fresh("module");
  await compiled.default(new WebAssembly.Module(wasm));
  assert.equal(compiled.pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
});

// Anyone who loads a page can read its stateKey, sign a state with it and
// have payloadVerified vouch for their payload: both builds refuse one in a
// page with a DOM, as they refuse a clientSecret.
test("a stateKey is refused whenever a document exists, in both builds", () => {
  const key = "k".repeat(32);
  try {
    globalThis.document = {};
    for (const build of [page, full]) {
      assert.throws(() => new build.OAuthClient({ provider: "billit", clientId: "c", redirectUri, stateKey: key }), (e) =>
        e instanceof full.OAuthError && e.code === "secret_in_browser" && /stateKey/.test(e.message) && !e.message.includes(key));
      assert.ok(new build.OAuthClient({ provider: "billit", clientId: "c", redirectUri, stateKey: [key], dangerouslyAllowSecretInBrowser: true }));
      assert.ok(new build.OAuthClient({ provider: "billit", clientId: "c", redirectUri }));
    }
  } finally {
    delete globalThis.document;
  }
});

// Review of the raw exports (SECURITY.md, "The page build's raw exports"):
// the glue reads a client's handle as the call's first argument, then runs
// code it does not own (Date.now, crypto.getRandomValues, TextEncoder's
// encodeInto) before the wasm gets it. If that code frees the client, the
// wasm uses a freed Box: raw.rs' SAFETY comment says "nothing frees a
// client during one" call, the glue does not make it so.
test("a client freed by a function the glue calls during its own call (Date.now, crypto.getRandomValues) is not used after free", async () => {
  // An instance of its own: what a use after free does to the heap stays there.
  const page = await import("../../pkg/page/partner_oauth.js?freed");
  page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
  const now = Date.now;
  const getRandomValues = crypto.getRandomValues;
  const victim = { provider: "billit", clientId: "victim", redirectUri, stateKey: "k".repeat(32) };
  try {
    // startAuthorization: the freed client's memory taken by another client
    // before the wasm reads it.
    let a = new page.OAuthClient(victim);
    let other;
    Date.now = () => {
      Date.now = now;
      a.free();
      other = new page.OAuthClient({ provider: "payfit", clientId: "other", redirectUri });
      return now();
    };
    const started = outcome(() => a.startAuthorization());
    Date.now = now;
    assert.ok(freed(started), `a freed client started a flow: ${started.url ?? started}`);
    other.free();

    // parseCallback, on a flow it started.
    a = new page.OAuthClient(victim);
    const { state, pending } = a.startAuthorization();
    Date.now = () => {
      Date.now = now;
      a.free();
      other = new page.OAuthClient({ provider: "payfit", clientId: "other", redirectUri, stateKey: "o".repeat(32) });
      return now();
    };
    const parsed = outcome(() => a.parseCallback(`${redirectUri}?code=abc&state=${state}`, pending));
    Date.now = now;
    assert.ok(freed(parsed), `a freed client parsed a callback: ${parsed.code ?? parsed}`);
    other.free();

    // crypto.getRandomValues refilling the glue's pool mid-start.
    let current;
    let fired = false;
    crypto.getRandomValues = function (array) {
      if (!fired) {
        fired = true;
        current.free();
      }
      return getRandomValues.call(crypto, array);
    };
    let drawn;
    for (let i = 0; i < 30 && !fired; i++) {
      current = new page.OAuthClient(victim);
      drawn = outcome(() => current.startAuthorization());
    }
    crypto.getRandomValues = getRandomValues;
    assert.ok(fired);
    assert.ok(freed(drawn), `a client freed by getRandomValues started a flow or failed otherwise: ${drawn.url ?? drawn}`);
  } finally {
    Date.now = now;
    crypto.getRandomValues = getRandomValues;
  }
});

// The glue's pool sets `drawn = 0` after crypto.getRandomValues returns: a
// getRandomValues wrapper (an instrumentation or polyfill layer) that draws
// from the library itself consumes and zeroes the fresh pool's first bytes,
// then the outer draw hands those zeros out. The full build's Rust pool
// refuses the nested draw (its RefCell is borrowed) instead.
test("a crypto.getRandomValues that draws from the library while refilling the pool does not make the outer draw hand out zeroed bytes", () => {
  const getRandomValues = crypto.getRandomValues;
  let nested = 0;
  let busy = false;
  const verifiers = [];
  crypto.getRandomValues = function (array) {
    getRandomValues.call(crypto, array);
    if (!busy) {
      busy = true;
      try {
        page.newPkceVerifier();
        nested++;
      } finally {
        busy = false;
      }
    }
    return array;
  };
  try {
    // 32 bytes a draw: more than one refill of the 1 KiB pool.
    for (let i = 0; i < 40; i++) verifiers.push(page.newPkceVerifier());
  } finally {
    crypto.getRandomValues = getRandomValues;
  }
  assert.ok(nested > 0, "the wrapper never drew");
  const zeros = verifiers.filter((verifier) => /^A{43}$/.test(verifier));
  assert.deepEqual(zeros, [], `${zeros.length} PKCE verifier(s) of 32 zero bytes`);
  assert.equal(new Set(verifiers).size, verifiers.length);
});

// init() checks `wasm` before its await and sets it after, unconditionally:
// two calls in flight make two instances, and clients made on the first hand
// their Box pointers to the second's exports. wasm-bindgen's init (the full
// build) keeps one promise for every call.
test("init called again before the first call settles keeps one instance: a client made in between stays usable and its free() frees its own memory", async () => {
  const wasm = readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url));
  const module = new WebAssembly.Module(wasm);
  const glue = await import("../../pkg/page/partner_oauth.js?twice");
  let release;
  const first = glue.default(module);
  const second = glue.default(new Promise((resolve) => (release = resolve)));
  const one = await first;
  const client = new glue.OAuthClient(options);
  const { state, pending } = client.startAuthorization();
  release(module);
  const two = await second;
  // The second instance has no such client: the handle reads its memory.
  assert.equal(client.provider, "billit");
  assert.equal(client.parseCallback(`${redirectUri}?code=abc&state=${state}`, pending).code, "abc");
  client.free();
  assert.equal(two, one, "a second instance replaced the first");
});

// input() asks alloc for 3 bytes per UTF-16 unit of every text, a JS number
// the wasm call converts to a 32-bit usize: two long texts ask for more than
// the wasm can allocate and the module traps (unreachable) before the core's
// length limits are reached; the full build copies a text by its length and
// answers these with input_too_large. (In an engine whose strings may be
// longer than V8's, 2^30 in SpiderMonkey, the sum can pass 2^32 and wrap to
// a small buffer that encodeInto then writes past.) The strings here are
// ropes and the page build traps before copying them: no memory is spent.
test("texts too long for the wasm's memory are an OAuthError, not a trap: parseCallback with two texts of 360 million characters", () => {
  const client = new page.OAuthClient(options);
  const long = 360_000_000;
  const url = `${redirectUri}?code=${"a".repeat(long)}`;
  const pending = "p".repeat(long);
  assert.throws(() => client.parseCallback(url, pending), (e) => {
    assert.ok(e instanceof full.OAuthError, `${e.constructor.name}: ${e.message}`);
    assert.equal(e.code, "input_too_large");
    return true;
  });
  client.free();
});

// The page build's allocator (raw.rs' `Heap`) reuses freed blocks: a page
// that makes, uses and frees clients in a loop, errors included, stops
// growing the memory.
test("10,000 clients made, used and freed grow the memory no more than the first 100 did", async () => {
  const glue = await import("../../pkg/page/partner_oauth.js?cycles");
  const exports = glue.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
  const cycle = (i) => {
    const keyed = i % 2 === 0;
    const client = new glue.OAuthClient(keyed ? { ...options, clientId: `c${i}` } : { provider: "payfit", clientId: `c${i}`, redirectUri });
    const { state, pending } = client.startAuthorization({ scopes: ["a", "b".repeat(1 + (i % 50))], params: { x: "y" } });
    assert.equal(client.parseCallback(`${redirectUri}?code=abc&state=${state}`, pending).code, "abc");
    assert.throws(() => client.parseCallback(`${redirectUri}?error=access_denied&error_description=no&state=${state}`, pending), (e) => e.code === "access_denied");
    assert.throws(() => new glue.OAuthClient({ provider: "nope", clientId: "c" }), (e) => e.code === "unknown_provider");
    assert.equal(glue.pkceChallenge(glue.newPkceVerifier()).length, 43);
    client.free();
  };
  for (let i = 0; i < 100; i++) cycle(i);
  const grown = exports.memory.buffer.byteLength;
  for (let i = 100; i < 10_000; i++) cycle(i);
  assert.equal(exports.memory.buffer.byteLength, grown);
});

// The record carries each choice of the preset option as its index in the
// NAMES tables (options.js, record.rs): every name picks its own value, in
// both builds.
test("every choice of the preset option takes effect, in both builds", () => {
  const custom = (preset) => ({ provider: "custom", clientId: "c", clientSecret: "s", redirectUri, endpoints: { authorize: "https://as.example/a", token: "https://as.example/t", introspect: "https://as.example/i" }, preset });
  for (const build of [page, full]) {
    const url = (preset) => new build.OAuthClient(build === page ? { ...custom(preset), clientSecret: undefined } : custom(preset)).startAuthorization().url;
    assert.doesNotMatch(url({ pkce: "unsupported" }), /code_challenge=/);
    assert.match(url({ pkce: "supported" }), /code_challenge=/);
    assert.match(url({ pkce: "required" }), /code_challenge=/);
    assert.doesNotMatch(url({ responseType: false }), /response_type=/);
    for (const grants of [["refresh_token"], ["client_credentials"], ["introspection", "revocation"]]) {
      assert.throws(() => url({ grants }), (e) => e.code === "unsupported_grant", grants.join());
    }
    assert.match(url({ grants: ["revocation", "authorization_code"] }), /^https:\/\/as\.example\/a\?/);
  }
  const request = (preset) => new full.OAuthClient(custom(preset)).refreshRequest("r");
  assert.match(request({ clientAuth: "basic" }).headers.Authorization ?? "", /^Basic /);
  assert.equal(request({ clientAuth: "body" }).headers.Authorization, undefined);
  assert.match(request({ tokenBody: "form" }).headers["Content-Type"], /x-www-form-urlencoded/);
  assert.match(request({ tokenBody: "json" }).headers["Content-Type"], /json/);
  assert.match(request({ tokenBody: "query", clientAuth: "body" }).url, /\?.*grant_type=refresh_token/);
  for (const [introspection, bearer] of [["rfc7662", false], ["bearer_json", true]]) {
    const exchange = new full.OAuthClient(custom({ introspection })).prepareIntrospection("t");
    assert.equal(/^Bearer /.test(exchange.request.headers.Authorization ?? ""), bearer, introspection);
    exchange.free();
  }
});

test("an argument that is not a string is refused with the full build's message", () => {
  for (const build of [page, full]) {
    const client = new build.OAuthClient({ provider: "payfit", clientId: "c", redirectUri });
    for (const [call, message] of [
      [() => build.pkceChallenge(5), "the PKCE verifier must be a string"],
      [() => client.parseCallback(7, null), "the callback URL must be a string"],
      [() => client.parseCallback(`${redirectUri}?code=a`, 7), "the pending value must be a string"],
    ]) {
      assert.throws(call, (e) => e instanceof full.OAuthError && e.code === "invalid_argument" && e.message === message);
    }
  }
});

// Freed memory keeps no secret: the page build's allocator zeroes a block as
// it frees it, so a stateKey, a code or a pending value (it holds the PKCE
// verifier) does not stay in the module's heap after the client or the
// call that held it is gone (both reviews of the raw exports noted it).
test("a freed client's stateKey and a finished callback's code and pending value leave no trace in the wasm's heap", async () => {
  const glue = await import("../../pkg/page/partner_oauth.js?zeroed");
  const exports = glue.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
  // The heap: the allocator carves blocks only from memory grown after the
  // module's initial memory (its stack and data). The stack keeps copies a
  // call made (an HMAC's key block) until the next call overwrites them.
  const heap = exports.memory.buffer.byteLength;
  const found = (text) => Buffer.from(exports.memory.buffer).indexOf(Buffer.from(text), heap) >= 0;
  const key = "stateKey-0123456789-unique-QWERTY";
  const client = new glue.OAuthClient({ provider: "billit", clientId: "c", redirectUri, stateKey: key });
  const { state, pending } = client.startAuthorization();
  const code = "the-code-0123456789-unique-ASDFGH";
  assert.equal(client.parseCallback(`${redirectUri}?code=${code}&state=${state}`, pending).code, code);
  assert.equal(found(code), false, "the code");
  assert.equal(found(pending), false, "the pending value");
  assert.equal(found(key), true, "the live client holds its key");
  client.free();
  assert.equal(found(key), false, "the freed client's key");
});

// Review of today's fixes (revalloc): the glue reads the handle after every
// call it makes into code it does not own, but the arguments it then passes
// are read from an array (`a[2]`, `a[3]`) after `this.#handle` is read.
// input() fills that array with push(), which stores through an accessor an
// Array.prototype holds for the index: its getter runs between the handle
// read and the export, and a free() there hands the wasm a freed Box.
test("a client freed by an Array.prototype index accessor while the glue reads its arguments is not used after free", async () => {
  const page = await import("../../pkg/page/partner_oauth.js?arrayindex");
  page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
  const victim = { provider: "billit", clientId: "victim", redirectUri, stateKey: "k".repeat(32) };
  const values = new WeakMap();
  let client, other, armed = false;
  const run = (call) => {
    Object.defineProperty(Array.prototype, "3", {
      configurable: true,
      set(value) {
        values.set(this, value);
      },
      get() {
        // Only the glue's argument array (push stored its fourth item here).
        if (armed && values.has(this) && this.length === 4 && typeof this[0] === "number" && typeof values.get(this) === "number") {
          armed = false;
          client.free();
          other = new page.OAuthClient({ provider: "billit", clientId: "other", redirectUri, stateKey: "o".repeat(32) });
        }
        return values.get(this);
      },
    });
    armed = true;
    try {
      return outcome(call);
    } finally {
      armed = false;
      delete Array.prototype[3];
    }
  };
  client = new page.OAuthClient(victim);
  // crypto's first use loads Node's own code, which pushes into arrays too.
  client.startAuthorization();
  const started = run(() => client.startAuthorization());
  // Fixed: the glue's arguments are a Float64Array, so the accessor no
  // longer runs; if it does, the client must read as freed.
  if (other) assert.ok(freed(started), `a freed client started a flow or failed otherwise: ${started.url ?? started}`);
  else assert.match(started.url, /client_id=victim/);
  other?.free();
  other = undefined;
  client = new page.OAuthClient(victim);
  const { state, pending } = client.startAuthorization();
  const parsed = run(() => client.parseCallback(`${redirectUri}?code=abc&state=${state}`, pending));
  if (other) assert.ok(freed(parsed), `a freed client parsed a callback or failed otherwise: ${parsed.code ?? parsed}`);
  else assert.equal(parsed.code, "abc");
  other?.free();
});

// The slots are copied before an answer is read, but the copy is
// `slots.slice()`, a method of %TypedArray%.prototype a page script can
// replace: a wrapper that calls the library first (an instrumentation layer
// over typed arrays) has the nested call overwrite the slots and free its
// own answer; the outer call then reads the nested answer's freed buffer as
// its own and frees it again. The double free loops the size class's free
// list onto one block: later allocations share it (a trap or wrong answers).
test("a TypedArray.prototype.slice that calls the library while the glue copies the slots gives each call its own answer and frees each buffer once", async () => {
  const page = await import("../../pkg/page/partner_oauth.js?slice");
  page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
  const typed = Object.getPrototypeOf(Uint8Array.prototype);
  const slice = typed.slice;
  const expected = page.pkceChallenge("a".repeat(43));
  let armed = false;
  let nested;
  typed.slice = function (...args) {
    if (armed && this instanceof Float64Array) {
      armed = false;
      nested = page.pkceChallenge("b".repeat(43));
    }
    return slice.apply(this, args);
  };
  let outer;
  try {
    armed = true;
    outer = page.pkceChallenge("a".repeat(43));
  } finally {
    typed.slice = slice;
  }
  // Fixed: the glue copies by constructor, so the wrapper may never run.
  assert.equal(outer, expected, "the outer call answered another call's (freed) bytes");
  // The heap afterwards: two clients and their flows.
  const urls = outcome(() => ["one", "two"].map((clientId) => new page.OAuthClient({ provider: "billit", clientId, redirectUri })).map((client) => client.startAuthorization().url));
  assert.ok(Array.isArray(urls), `the heap is corrupt: ${urls}`);
  assert.match(urls[0], /client_id=one&/);
  assert.match(urls[1], /client_id=two&/);
});

// A refill fills a new array, so a getRandomValues wrapper cannot zero the
// outer draw's bytes; but draw() checks `drawn + count > pool.length` and
// only then copies from `pool[drawn]`: code that runs between the two (the
// %TypedArray%.prototype `length` getter read by the check itself, after
// `drawn` was read, or `byteLength` in memory()) and draws from the library
// moves `drawn` to the pool's end; the outer copy then reads past it
// (undefined, stored as 0) and hands the wasm 32 zero bytes as random.
test("a typed-array length getter that draws from the library between draw()'s check and its copy does not make the outer draw hand out zero bytes", async () => {
  const page = await import("../../pkg/page/partner_oauth.js?poollength");
  page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
  const typed = Object.getPrototypeOf(Uint8Array.prototype);
  const length = Object.getOwnPropertyDescriptor(typed, "length");
  // This instance's pool is new: one draw fills it (1 KiB) and takes 32 bytes.
  page.newPkceVerifier();
  let armed = false;
  let nested = 0;
  Object.defineProperty(typed, "length", {
    ...length,
    get() {
      const n = length.get.call(this);
      if (armed && n === 1024) {
        armed = false;
        // 31 draws of 32 bytes: the pool's last byte, no refill.
        for (let i = 0; i < 31; i++, nested++) page.newPkceVerifier();
      }
      return n;
    },
  });
  let verifier;
  try {
    armed = true;
    verifier = page.newPkceVerifier();
  } finally {
    Object.defineProperty(typed, "length", length);
  }
  // Fixed: draw() reads its own size, so the getter may never draw.
  assert.doesNotMatch(verifier, /^A{43}$/, "a PKCE verifier of 32 zero bytes");
});

// The constructor registers the client with the FinalizationRegistry after
// it has its handle, through FinalizationRegistry.prototype.register, which
// gets the client itself: a replaced register that calls free() on it (as a
// replaced Date.now did, finding 14) frees the Box, then registers the freed
// handle. When the client is collected, the cleanup frees that address a
// second time, under whatever live client took the block meanwhile.
test("a client freed by FinalizationRegistry.prototype.register in its constructor is not freed again when it is collected", async () => {
  const { setFlagsFromString } = await import("node:v8");
  const { runInNewContext } = await import("node:vm");
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc");
  const page = await import("../../pkg/page/partner_oauth.js?finalization");
  page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
  const register = FinalizationRegistry.prototype.register;
  let freed = false;
  FinalizationRegistry.prototype.register = function (target, held, token) {
    if (!freed && target instanceof page.OAuthClient) {
      freed = true;
      target.free();
    }
    return register.call(this, target, held, token);
  };
  try {
    (() => new page.OAuthClient({ provider: "billit", clientId: "gone", redirectUri }))();
  } finally {
    FinalizationRegistry.prototype.register = register;
  }
  assert.ok(freed, "register never ran");
  // A live client takes the freed block; the dropped one is collected.
  const live = new page.OAuthClient({ provider: "billit", clientId: "live", redirectUri });
  assert.match(live.startAuthorization().url, /client_id=live&/);
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const other = new page.OAuthClient({ provider: "payfit", clientId: "other", redirectUri, stateKey: "o".repeat(32) });
  const outcome = (() => {
    try {
      return live.startAuthorization().url;
    } catch (e) {
      return e;
    }
  })();
  assert.match(String(outcome), /client_id=live&/, "the live client's memory was freed by another client's cleanup");
  other.free();
  live.free();
});

// The slots are copied before the answer is decoded, but `part` is a view
// of the memory made before: a TextDecoder.prototype.decode wrapper that
// calls the library (which grows the memory) and then decodes what it was
// given reads a detached view, "" in V8, and the outer call answers that.
test("a TextDecoder.prototype.decode that calls the library (growing the memory) while an answer is decoded leaves that answer whole", async () => {
  const page = await import("../../pkg/page/partner_oauth.js?decode");
  page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
  const decode = TextDecoder.prototype.decode;
  const expected = page.pkceChallenge("a".repeat(43));
  let armed = false;
  let nested;
  TextDecoder.prototype.decode = function (...args) {
    if (armed) {
      armed = false;
      // A text of 8 M characters: its 24 MB copy grows the memory.
      try {
        page.pkceChallenge("x".repeat(8 << 20));
      } catch (e) {
        nested = e;
      }
    }
    return decode.apply(this, args);
  };
  let outer;
  try {
    armed = true;
    outer = page.pkceChallenge("a".repeat(43));
  } finally {
    TextDecoder.prototype.decode = decode;
  }
  assert.ok(nested, "the wrapper never ran");
  assert.equal(outer, expected);
});

// Review 60, C3: a record whose list count exceeds what is left of it (a
// record options.js could write only with a text its length misjudged)
// reads the list as absent; it used to push 10^11 empty items until the
// allocator failed and the instance trapped.
test("review60 C3: a list count past the record's end does not run the wasm out of memory", () => {
  const exports = page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
  // provider, environment, clientId, clientSecret, redirectUri, then stateKey's count.
  const record = new TextEncoder().encode("6:billit~1:c~~11:99999999999");
  const at = exports.a(record.length) >>> 0;
  new Uint8Array(exports.memory.buffer, at, record.length).set(record);
  const failed = exports.n(at, record.length, record.length, 0);
  assert.equal(failed, 0, "the client is made from the record's readable part");
  // The instance still works.
  const client = new page.OAuthClient({ provider: "billit", clientId: "c", redirectUri });
  assert.ok(client.startAuthorization().url.startsWith("https://"));
  client.free();
});

// Review 66: a callback was accepted until 999 ms past its flowExpiresAt, so a
// store that forgot a spent flow at flowExpiresAt let it be replayed.
test("review 66: a flow's callback is refused from its flowExpiresAt on, in both builds", () => {
  const realNow = Date.now;
  try {
    for (const client of [new page.OAuthClient(options), new full.OAuthClient(options)]) {
      const started = client.startAuthorization();
      const at = (now) => {
        Date.now = () => now;
        return outcome(() => client.parseCallback(`${redirectUri}?code=abc&state=${started.state}`, started.pending));
      };
      assert.equal(at(started.flowExpiresAt - 1).code, "abc");
      assert.ok(started.flowExpiresAt - 1 >= realNow() + 599_000, "it lives its whole stateMaxAge");
      const late = at(started.flowExpiresAt);
      assert.ok(late instanceof full.OAuthError && late.code === "state_expired", String(late));
    }
  } finally {
    Date.now = realNow;
  }
});
