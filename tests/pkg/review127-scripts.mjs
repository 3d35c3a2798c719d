// Review 127's scripts (tests/pkg/review127.test.mjs): each runs in a child Node process on a package URL `pkg`,
// with the random bytes and the clock fixed, and answers a summary (counts, invariant failures and a hash of every
// answer) that the test pins. Run by hand against two packages, they are the old/new differential oracle.
import { createHash } from "node:crypto";
import { pendingFields as sharedPendingFields, xorshift } from "./frozen.mjs";

const hash = (x) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 16);
export const redirectUri = "https://app.example/cb";
const KEY = "k".repeat(32), KEY2 = "j".repeat(40);

// xorshift32 random bytes in place of the platform's, and a fixed clock (settable).
let clock = 1765000000000;
export function freeze(seed = 127) {
  const { fill } = xorshift(seed);
  Date.now = () => clock;
  return fill;
}

const b64d = (t) => Buffer.from(t, "base64url");
/** The pending value's fields (p2.<body>[.<mac>]), each as latin1 text, or null. */
export const pendingFields = (p) => sharedPendingFields(p, "latin1");

// Checks one start's answer on its own: the URL's state and code_challenge are its own state and its pending
// value's verifier's S256, the pending value holds that state, and no verifier was seen before (no start answers
// with another's). Answers the verifier; pushes a failure otherwise.
const seen = new Map();
function check(f, label, fails, m, client) {
  const pf = pendingFields(f.pending);
  const v = pf?.fields[5] ?? null;
  const url = new URL(f.url);
  if (url.searchParams.get("state") !== f.state) fails.push([label, "url state"]);
  if (pf?.fields[3] !== f.state) fails.push([label, "pending state"]);
  if (seen.has("s:" + f.state)) fails.push([label, "state seen before", seen.get("s:" + f.state)]);
  seen.set("s:" + f.state, label);
  if (v !== null) {
    if (url.searchParams.get("code_challenge") !== createHash("sha256").update(v).digest("base64url")) fails.push([label, "challenge"]);
    if (seen.has(v)) fails.push([label, "verifier seen before", seen.get(v)]);
    seen.set(v, label);
  }
  if (client) {
    try {
      const r = client.parseCallback(`${redirectUri}?code=C-${label}&state=${f.state}`, f.pending);
      if (r.code !== `C-${label}` || r.flowId !== f.flowId || r.flowExpiresAt !== f.flowExpiresAt) fails.push([label, "callback", r.flowId, f.flowId]);
    } catch (e) {
      fails.push([label, "callback threw", e?.code ?? String(e)]);
    }
  }
  return v;
}

const outcome = (f) => {
  try {
    const r = f();
    return r && typeof r === "object" ? [r.url, r.state, String(r.pending), r.flowId, r.flowExpiresAt] : r;
  } catch (e) {
    return e && e.code ? ["ERR", e.code, e.message] : ["THROW", e?.name ?? String(e), String(e?.message).slice(0, 80)];
  }
};

/** Options records that compare equal only when they mean the same: case, Unicode forms, order, absent vs empty. */
export function startOptions() {
  const o = [
    {}, {}, { scopes: [] }, { scopes: ["a"] }, { scopes: ["A"] }, { scopes: ["a", "b"] }, { scopes: ["b", "a"] }, { scopes: ["a b"] },
    { scopes: ["a"], payload: "x" }, { payload: "x", scopes: ["a"] }, { payload: "\u00e9" }, { payload: "e\u0301" }, { payload: "\uFFFD" },
    { payload: "\uD800" }, { payload: "\uDBFF" }, { payload: "\uDC00x" }, { payload: "" }, { payload: null }, { payload: undefined }, { payload: "null" },
    { tokenKind: "company" }, { tokenKind: "Company" }, { tokenKind: "user" }, { tokenKind: "" },
    { params: { prompt: "login", login_hint: "u" } }, { params: { login_hint: "u", prompt: "login" } }, { params: { Prompt: "login" } },
    { params: { prompt: "LOGIN" } }, { params: { prompt: "" } }, { params: { "": "x" } }, { params: { a: "b\u0000" } }, { params: { "a\u0000": "b" } },
    { params: { state: "x" } }, { params: { STATE: "x" } }, { scopes: Array(101).fill("a") }, { scopes: Array(100).fill("a") },
    { payload: "x".repeat(2048) }, { payload: "x".repeat(2049) }, { payload: "\u{1F600}".repeat(512) }, { payload: "y".repeat(700) },
    { scopes: ["s".repeat(900)] }, { params: { p: "v".repeat(3000) } }, { scopes: ["a"], payload: "a" }, { scopes: ["a"], payload: "a", tokenKind: "company" },
    { scopes: ["a,b"] }, { scopes: ["a\u00a0"] }, { scopes: ["\u212a"] }, { scopes: ["K"] },
  ];
  return o;
}

function clients(m) {
  const base = { clientId: "c", redirectUri };
  return {
    keyless: new m.OAuthClient({ ...base, provider: "tropipay" }),
    keyed: new m.OAuthClient({ ...base, provider: "payout", stateKey: [KEY, KEY2] }),
    fact: new m.OAuthClient({ provider: "factorial", clientId: "c", redirectUri, stateKey: KEY }),
    custom: new m.OAuthClient({ provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://as.example/a?x=1", token: "https://as.example/t" }, preset: { scopeSeparator: "," } }),
  };
}

/** 1: the cache. Every options record in turn, each three times, then in pairs (A B A B), then reversed, on four
 * clients; every answer checked and kept. */
export async function cache(pkg) {
  freeze(1271);
  const m = await import(pkg + "node.js");
  const cs = clients(m), opts = startOptions(), out = {}, fails = [];
  let n = 0;
  for (const [name, c] of Object.entries(cs)) {
    const answers = [];
    const start = (o, label) => {
      n++;
      const a = outcome(() => {
        const f = c.startAuthorization(o);
        check(f, `${name}-${label}`, fails, m, c);
        return f;
      });
      answers.push(a);
    };
    opts.forEach((o, i) => [0, 1, 2].forEach((k) => start(o, `${i}.${k}`)));
    for (let i = 0; i + 1 < opts.length; i++) for (let k = 0; k < 2; k++) (start(opts[i], `p${i}a${k}`), start(opts[i + 1], `p${i}b${k}`));
    [...opts].reverse().forEach((o, i) => start(o, `r${i}`));
    // A getter that answers differently each read: each start reads it again.
    let count = 0;
    const shifting = { get scopes() { return [`s${count++ % 3}`]; } };
    for (let k = 0; k < 6; k++) start(shifting, `g${k}`);
    out[name] = hash(answers);
  }
  return { starts: n, fails, answers: out };
}

/** 2: re-entry. App code run inside a start (crypto.getRandomValues, Date.now, an option getter, TextEncoder's
 * encodeInto replaced after load) starts another flow (the same client with the same or other options, another
 * client), throws, releases or frees; then the client starts again. */
export async function reentry(pkg) {
  const fill = freeze(1272);
  const m = await import(pkg + "node.js");
  const w = (await import(pkg + "partner_oauth.js")).initSync();
  const fails = [], answers = [], grewInside = [];
  let n = 0;
  const actions = {
    same: (c, o) => outcome(() => { n++; const f = c.startAuthorization(o); check(f, `in${n}`, fails, m, c); return f; }),
    other: (c) => outcome(() => { n++; const f = c.startAuthorization({ scopes: ["inner"], payload: "inner" }); check(f, `in${n}`, fails, m, c); return f; }),
    twice: (c, o) => [actions.same(c, o), actions.same(c, { payload: "second" })],
    otherClient: (c, o, cs) => outcome(() => { n++; const f = cs.keyed.startAuthorization(o); check(f, `in${n}`, fails, m, cs.keyed); return f; }),
    throwError: () => { throw new Error("app threw"); },
    throwRange: () => { throw new RangeError("Maximum call stack size exceeded"); },
    release: (c) => c.release(),
    free: (c) => c.free(),
    startFreed: (c, o) => { c.free(); return actions.same(c, o); },
    deep: (c, o) => { const rec = (d) => { try { return rec(d + 1); } catch { return actions.same(c, o); } }; return rec(0); },
    none: () => null,
  };
  const places = {
    random: (hook) => { globalThis.crypto.getRandomValues = (a) => (hook(), fill(a)); return () => (globalThis.crypto.getRandomValues = fill); },
    randomAfter: (hook) => { globalThis.crypto.getRandomValues = (a) => (fill(a), hook(), a); return () => (globalThis.crypto.getRandomValues = fill); },
    clock: (hook) => { Date.now = () => (hook(), clock); return () => (Date.now = () => clock); },
    encodeInto: (hook) => {
      const e = TextEncoder.prototype.encodeInto;
      TextEncoder.prototype.encodeInto = function (s, v) { hook(); return e.call(this, s, v); };
      return () => (TextEncoder.prototype.encodeInto = e);
    },
    getter: null,
  };
  const optionSets = [{}, { scopes: ["a"], payload: "p" }, { payload: "\u00e9-x", params: { login_hint: "\u00fc" } }];
  for (const [place, install] of Object.entries(places)) {
    for (const [action, act] of Object.entries(actions)) {
      for (const [oi, o] of optionSets.entries()) {
        const cs = clients(m);
        const c = cs.keyless;
        // Warm the cache with the options first (the re-entered start then finds it taken).
        const first = outcome(() => { n++; const f = c.startAuthorization(o); check(f, `w${n}`, fails, m, c); return f; });
        let inner = "not run", armed = true;
        const hook = () => { if (!armed) return; armed = false; inner = act(c, o, cs); };
        let outer, before = w.memory.buffer.byteLength;
        if (install) {
          // The random pool refills now and then: starts until the hook ran (the outer start is the one it ran in).
          const undo = install(hook);
          for (let k = 0; k < 400 && armed; k++) before = w.memory.buffer.byteLength, outer = outcome(() => { n++; const f = c.startAuthorization(o); check(f, `o${n}`, fails, m, null); return f; });
          undo();
        } else {
          const g = { ...o };
          Object.defineProperty(g, "payload", { get() { hook(); return o.payload; }, enumerable: true });
          outer = outcome(() => { n++; const f = c.startAuthorization(g); check(f, `o${n}`, fails, m, null); return f; });
        }
        // Afterwards: the client (if alive) starts again with both option sets.
        const after = optionSets.map((p) => outcome(() => { n++; const f = c.startAuthorization(p); check(f, `a${n}`, fails, m, c); return f; }));
        const otherAfter = outcome(() => { n++; const f = cs.fact.startAuthorization(o); check(f, `a${n}`, fails, m, cs.fact); return f; });
        answers.push([place, action, oi, first, inner, outer, after, otherAfter]);
        if (outer?.[1] === "random_unavailable" && inner !== "not run") grewInside.push([place, action, oi, (w.memory.buffer.byteLength - before) >> 16]);
        for (const x of Object.values(cs)) try { x.free(); } catch {}
      }
    }
  }
  return { starts: n, fails, grewInside, answers: hash(answers), outcomes: answers.map(([p, a, oi, , inner, outer, after]) => `${p}/${a}/${oi}: ${shape(inner)} ${shape(outer)} ${after.map(shape).join(",")}`) };
}
const shape = (x) => (Array.isArray(x) ? (x[0] === "ERR" || x[0] === "THROW" ? x.slice(0, 2).join(":") : Array.isArray(x[0]) || x[0] === "not run" ? x.map(shape).join("+") : "ok") : String(x));

/** 3: the JS stack's limit. Starts made at every depth near the limit (each frame of the unwinding recursion starts
 * one), on one client with the same options (cached) and with alternating ones; then 20 ordinary starts. Only the
 * invariants are compared: where the limit falls differs between builds. */
export async function stackLimit(pkg) {
  freeze(1273);
  const m = await import(pkg + "node.js");
  const cs = clients(m), fails = [];
  const tally = { ok: 0, range: 0, other: {} };
  let label = 0;
  const one = (c, o) => {
    try {
      const f = c.startAuthorization(o);
      check(f, `s${label++}`, fails, m, null);
      tally.ok++;
    } catch (e) {
      if (e instanceof RangeError) tally.range++;
      else tally.other[e?.code ?? e?.message] = (tally.other[e?.code ?? e?.message] ?? 0) + 1;
    }
  };
  for (let round = 0; round < 12; round++) {
    const c = round % 2 ? cs.keyed : cs.keyless;
    const o = round % 3 ? { scopes: ["a"], payload: "p" } : {};
    let frames = 0;
    const rec = () => {
      frames++;
      try { rec(); } catch { /* at the limit */ }
      if (frames-- < 400) return;
      one(c, (round & 4 ? frames & 1 : 0) ? { payload: "alt" } : o);
    };
    try { rec(); } catch {}
  }
  const after = [];
  for (const [name, c] of Object.entries(cs)) for (let k = 0; k < 5; k++) after.push(outcome(() => { const f = c.startAuthorization(k & 1 ? {} : { scopes: ["a"], payload: "p" }); check(f, `after-${name}-${k}`, fails, m, c); return "ok"; }));
  return { fails, afterOk: after.filter((x) => x === "ok").length, after: after.filter((x) => x !== "ok"), sawRange: tally.range > 0, sawOk: tally.ok > 0, other: tally.other };
}

/** 4: expiry edges. stateMaxAge at and past its bounds, and clocks from NaN and negative through the point where
 * seconds * 1000 passes u64::MAX, to 1e300 and Infinity: each start's flowExpiresAt and its callback's. */
export async function expiry(pkg) {
  freeze(1274);
  const m = await import(pkg + "node.js");
  const B = 18446744073709551; // u64::MAX / 1000
  const clocks = [NaN, -1, 0, 999, 1000, 1765000000000, 2 ** 53, 2 ** 63, 2 ** 64, 1e300, Infinity, -Infinity];
  for (let d = -90000; d <= 90000; d += 2500) clocks.push((B - 86401 + d) * 1000, (B + d) * 1000);
  for (let d = -8; d <= 8; d++) clocks.push((B + d) * 1000, (B - 86401 + d) * 1000, (B - 2 + d) * 1000);
  const ages = [undefined, 0, 1, 2, 86399, 86400, 86401, -1, 1.5, 2 ** 53, 2 ** 64, NaN, Infinity, "60"];
  const rows = [];
  for (const age of ages) {
    let c;
    const made = outcome(() => ((c = new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri, ...(age === undefined ? {} : { stateMaxAge: age }) })), "made"));
    if (!c) { rows.push([String(age), made]); continue; }
    for (const t of clocks) {
      clock = t;
      const s = outcome(() => { const f = c.startAuthorization({}); const r = outcome(() => { const p = c.parseCallback(`${redirectUri}?code=C&state=${f.state}`, f.pending); return { url: p.code, state: p.state, pending: p.flowId, flowId: p.payload, flowExpiresAt: p.flowExpiresAt }; }); return { url: f.url, state: f.state, pending: f.pending, flowId: r, flowExpiresAt: f.flowExpiresAt }; });
      rows.push([String(age), String(t), s]);
    }
    c.free();
  }
  clock = 1765000000000;
  const sample = rows.filter((r) => ["86400", "1"].includes(r[0]) && ["1e+300", "Infinity", "18446744073709550000", "18446744073709552000", "NaN"].includes(r[1])).map((r) => [r[0], r[1], r[2][4], r[2][3]?.[4] ?? r[2][3]]);
  return { rows: rows.length, hash: hash(rows), sample };
}

/** 5: memory after the flows. 300 starts on one client (usual, large and refused options), then release() and free():
 * which of the starts' verifiers (as base64url in the pending value, and as their raw 32 bytes), states, payloads and
 * options records does the module's memory still hold? */
export async function memory(pkg) {
  freeze(1275);
  const m = await import(pkg + "node.js");
  const { initSync } = await import(pkg + "partner_oauth.js");
  const w = initSync();
  const c = new m.OAuthClient({ provider: "payout", clientId: "c", redirectUri, stateKey: KEY });
  let verifiers = [];
  const payloads = [];
  const fails = [];
  for (let i = 0; i < 300; i++) {
    const payload = `PAYLOAD-${String(i).padStart(4, "0")}-` + (i % 10 === 9 ? "z".repeat(1500) : "");
    const o = i % 7 === 6 ? { scopes: Array(101).fill("a"), payload } : { scopes: ["SCOPE-" + (i % 3)], payload };
    try {
      const f = c.startAuthorization(o);
      verifiers.push(check(f, `m${i}`, fails, m, null));
      payloads.push(payload.slice(0, 13));
    } catch (e) { payloads.push(payload.slice(0, 13)); }
  }
  const scan = () => {
    const mem = Buffer.from(w.memory.buffer);
    verifiers = verifiers.filter((v) => typeof v === "string");
    const b64 = verifiers.filter((v) => mem.includes(v)).length;
    const raw = verifiers.filter((v) => mem.includes(b64d(v))).length;
    const pay = payloads.filter((p) => mem.includes(p)).length;
    const last = [verifiers.at(-1), payloads.at(-1)].map((x) => mem.includes(x));
    return { b64, raw, pay, last };
  };
  const live = scan();
  c.release();
  const released = scan();
  c.free();
  const freed = scan();
  return { verifiers: verifiers.length, fails, live, released, freed };
}

/** Finding A: free() or release() called by app code inside a start (here from Date.now, which the start calls) —
 * the start answers, then puts its options back in the client's cache, so the options' texts (a login_hint, the
 * payload, the scopes) stay in the module's memory after the release, until another free() or release(). With
 * `inside` false, the same release made after the start. */
export async function releaseInside(pkg, how = "free", inside = true) {
  freeze(1276);
  const m = await import(pkg + "node.js");
  const w = (await import(pkg + "partner_oauth.js")).initSync();
  const mem = () => Buffer.from(w.memory.buffer);
  const c = new m.OAuthClient({ provider: "payout", clientId: "c", redirectUri });
  const hint = "alice.review127@example.com", payload = "PAYLOAD-review127-A";
  let armed = inside;
  const clockWas = Date.now;
  Date.now = () => { if (armed) { armed = false; c[how](); } return clock; };
  const answer = outcome(() => c.startAuthorization({ scopes: ["SCOPE-review127"], payload, params: { login_hint: hint } }));
  Date.now = clockWas;
  if (!inside) c[how]();
  const held = () => ({ hint: mem().includes(hint), payload: mem().includes(payload), scope: mem().includes("SCOPE-review127") });
  const afterRelease = held();
  const next = outcome(() => c.startAuthorization({}));
  return { answered: Array.isArray(answer) && answer[0] !== "ERR" && answer[0] !== "THROW", next: next[1], afterRelease };
}

/** Finding B (older): the last start's PKCE verifier, as the 43 base64url bytes and as its 32 raw bytes, stays in
 * the module's memory (the shadow stack's region below 1 MiB) after the client's free(). */
export async function stackResidue(pkg) {
  freeze(1277);
  const m = await import(pkg + "node.js");
  const w = (await import(pkg + "partner_oauth.js")).initSync();
  const c = new m.OAuthClient({ provider: "payout", clientId: "c", redirectUri, stateKey: KEY });
  const vs = [];
  for (let i = 0; i < 5; i++) vs.push(pendingFields(c.startAuthorization({ payload: "p" + i }).pending).fields[5]);
  c.free();
  const mem = Buffer.from(w.memory.buffer);
  const at = (x) => { const r = []; let i = -1; while ((i = mem.indexOf(x, i + 1)) >= 0) r.push(i); return r; };
  return vs.map((v) => ({ base64url: at(v), raw: at(b64d(v)) }));
}

/** Random options records (scopes, payload, tokenKind, params from small pools that differ by case, Unicode form
 * and order), half of them the previous record again or an equal copy, on the clients in turn: every answer. */
export async function fuzz(pkg, n = 4000, seed = 1278) {
  freeze(seed);
  const m = await import(pkg + "node.js");
  const cs = Object.entries(clients(m));
  let s = seed;
  const r = (k) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % k);
  const words = ["a", "A", "b", "B", "openid", "OpenID", "z".repeat(300), "Z".repeat(300), "read:x", "read:X"];
  const odd = ["\u00e9", "e\u0301", "\u212a", "x,y", "", "a b", "\uFFFD"];
  const pick = () => (r(12) ? words[r(words.length)] : odd[r(odd.length)]);
  const make = () => {
    const o = {};
    if (r(2)) o.scopes = Array.from({ length: r(4) }, pick);
    if (r(2)) o.payload = r(5) ? pick() : "q".repeat(r(2200));
    if (r(6) === 0) o.tokenKind = ["company", "Company", "user", ""][r(4)];
    if (r(2)) { o.params = {}; for (let k = r(3); k > 0; k--) o.params[["prompt", "Prompt", "login_hint", "x", "X", "state"][r(r(8) ? 5 : 6)]] = r(3) ? pick() : "\u00fc" + pick(); }
    return o;
  };
  const fails = [], answers = [];
  let prev = {};
  for (let i = 0; i < n; i++) {
    const o = r(2) ? make() : r(2) ? prev : JSON.parse(JSON.stringify(prev));
    prev = o;
    const [name, c] = cs[r(cs.length)];
    answers.push(outcome(() => { const f = c.startAuthorization(o); check(f, `f${i}`, fails, m, i % 8 ? null : c); return f; }));
  }
  return { n, fails: fails.slice(0, 5), hash: hash(answers), ok: answers.filter((a) => a[0] !== "ERR").length };
}
