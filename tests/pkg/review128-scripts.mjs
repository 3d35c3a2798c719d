// Review 128's scripts (tests/pkg/review128.test.mjs): each runs in a child Node process on a package URL `pkg`, with
// the random bytes and the clock fixed, and answers a summary the test pins. Run by hand against d6f1564's and
// 11cd6e6's packages, they are the old/new differential oracle.
import { createHash } from "node:crypto";
import { forgePending as forge, pendingFields, xorshift } from "./frozen.mjs";
import { fullPointer, loadWithExports } from "./stack.mjs";

/** The instance's raw exports (its memory and stack pointer, read through stack.mjs' fullPointer). */
const load = (pkg) => loadWithExports(pkg, "node.js");

const hash = (x) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 16);
const redirectUri = "https://app.example/cb";
const endpoints = { authorize: "https://as.example/a", token: "https://as.example/t" };
const KEY = "k".repeat(32);
let clock = 1765000000000;
function freeze(seed) {
  const { fill } = xorshift(seed);
  Date.now = () => clock;
  crypto.getRandomValues = fill;
  return fill;
}
const b64 = (b) => Buffer.from(b).toString("base64url");
const b64d = (t) => Buffer.from(t, "base64url");

const outcome = (f) => {
  try {
    const r = f();
    return r === undefined ? "undefined" : JSON.parse(JSON.stringify(r));
  } catch (e) {
    return e && e.code ? ["ERR", e.code, e.message] : ["THROW", e?.name ?? String(e), String(e?.message).slice(0, 100)];
  }
};

/** The clients of the exchange oracle: every PKCE mode, with and without a secret, a state key, secret placement. */
function clients(m) {
  const base = { clientId: "cid", redirectUri };
  const specs = {
    tropipay: { ...base, provider: "tropipay" },
    tropipaySecret: { ...base, provider: "tropipay", clientSecret: "SECRET-tropipay" },
    payout: { ...base, provider: "payout" },
    payoutSecret: { ...base, provider: "payout", clientSecret: "SECRET-payout" },
    payoutKeyed: { ...base, provider: "payout", stateKey: KEY, clientSecret: "SECRET-payout-k" },
    payoutSandbox: { ...base, provider: "payout", environment: "sandbox" },
    factorialSecret: { ...base, provider: "factorial", clientSecret: "SECRET-factorial" },
    factorial: { ...base, provider: "factorial" },
    billitSecret: { ...base, provider: "billit", clientSecret: "SECRET-billit" },
    payfitSecret: { ...base, provider: "payfit", clientSecret: "SECRET-payfit" },
    otherId: { ...base, clientId: "cid2", provider: "payout" },
  };
  for (const pkce of ["required", "supported", "unsupported"]) {
    for (const clientAuth of ["basic", "body"]) {
      for (const secret of [true, false]) {
        specs[`custom-${pkce}-${clientAuth}-${secret}`] = { ...base, provider: "custom", endpoints, preset: { pkce, clientAuth }, ...(secret ? { clientSecret: `SECRET-${pkce}-${clientAuth}` } : {}) };
      }
    }
  }
  const out = {};
  for (const [name, o] of Object.entries(specs)) {
    try { out[name] = new m.OAuthClient(o); } catch (e) { out[name] = null; }
  }
  return out;
}

/** 1: prepareCode and codeRequest on every client, with its own and every other client's pending values, forged
 * ones (each field changed), malformed ones, and callbacks with the right, another, no or a near state, and the
 * options' skipStateCheck. Every answer (the request, or the error's code and message), hashed per client. */
export async function exchanges(pkg, seed = 1281, every = 1) {
  freeze(seed);
  const { m } = await load(pkg);
  const cs = clients(m);
  const starts = {};
  for (const [name, c] of Object.entries(cs)) if (c) starts[name] = outcome(() => c.startAuthorization({ scopes: ["a"] }));
  const pendings = [];
  for (const [name, f] of Object.entries(starts)) if (Array.isArray(f)) continue; else pendings.push([`start:${name}`, f.pending, f.state]);
  // Forged from one start of each keyless client: each field changed in turn.
  for (const [name, f] of Object.entries(starts)) {
    const pf = f?.pending && pendingFields(f.pending);
    if (!pf || String(f.pending).includes(".", 3)) continue;
    const F = pf.fields, c = pf.created;
    const variants = {
      same: F,
      provider: ["custom", ...F.slice(1)], provider2: ["payout", ...F.slice(1)], providerCase: [F[0].toUpperCase(), ...F.slice(1)],
      clientId: [F[0], "cid2", ...F.slice(2)], clientIdEmpty: [F[0], "", ...F.slice(2)],
      env: [F[0], F[1], "sandbox", ...F.slice(3)], envProd: [F[0], F[1], "production", ...F.slice(3)],
      state: [...F.slice(0, 3), "other-state", ...F.slice(4)], stateEmpty: [...F.slice(0, 3), "", ...F.slice(4)],
      redirect: [...F.slice(0, 4), "https://evil.example/cb", ...F.slice(5)], redirectSlash: [...F.slice(0, 4), redirectUri + "/", ...F.slice(5)],
      noVerifier: [...F.slice(0, 5), null, F[6]], emptyVerifier: [...F.slice(0, 5), "", F[6]], oddVerifier: [...F.slice(0, 5), "a&b=c d+e%", F[6]],
      shortVerifier: [...F.slice(0, 5), "abc", F[6]], addVerifier: [...F.slice(0, 5), "v".repeat(43), F[6]], longVerifier: [...F.slice(0, 5), "w".repeat(300), F[6]],
      kind: [...F.slice(0, 6), "company"], kindUser: [...F.slice(0, 6), "user"], kindOdd: [...F.slice(0, 6), "Company\u0000"], kindNone: [...F.slice(0, 6), null],
    };
    for (const [v, fields] of Object.entries(variants)) {
      pendings.push([`forged:${name}:${v}`, forge(c, fields), fields[3]]);
      pendings.push([`forged:${name}:${v}:old`, forge(0n, fields), fields[3]]);
    }
  }
  const any = pendings[0][1];
  pendings.push(["empty", "", "x"], ["prefix", "p2.", "x"], ["notours", "p3." + any.slice(3), "x"], ["trunc", any.slice(0, -4), "x"], ["dot", any + ".AAAA", "x"], ["nonb64", "p2.@@@@", "x"]);
  pendings.push(["long", "p2." + "A".repeat(20000), "x"]);
  const calls = [];
  const results = {};
  for (const [cname, c] of Object.entries(cs)) {
    if (!c) { results[cname] = "no client"; continue; }
    const answers = [];
    for (const [pi, [pname, pending, state]] of pendings.entries()) {
      if (pi % every) continue;
      const callbacks = [
        { code: "CODE-1", state }, { code: "CODE-1", state: state + "x" }, { code: "CODE-1" }, { code: "", state }, "CODE-bare",
        { code: "C&d=e f", state: typeof state === "string" ? state.toUpperCase() : state },
      ];
      const options = [undefined, { skipStateCheck: true }];
      for (const [i, cb] of callbacks.entries()) {
        for (const [j, o] of options.entries()) {
          if (j && i > 2 && i !== 4) continue;
          const r1 = outcome(() => c.codeRequest(cb, pending, o));
          const r2 = outcome(() => { const ex = c.prepareCode(cb, pending, o); try { return ex.request; } finally { ex.release(); } });
          answers.push([pname, i, j, r1, r2]);
          calls.push(2);
        }
      }
    }
    results[cname] = hash(answers);
    results[cname + ":codes"] = tallyCodes(answers);
  }
  // Refusal codes: a tally over all, to see what each client refused.
  return { pendings: pendings.length, calls: calls.length, results };
}
function tallyCodes(answers) {
  const t = {};
  for (const a of answers) for (const r of [a[3], a[4]]) { const k = Array.isArray(r) ? r[1] : "ok"; t[k] = (t[k] ?? 0) + 1; }
  return t;
}

/** 2: how deep below the stack's top each kind of call writes: the dead stack filled with a canary between calls,
 * then the lowest byte that changed. Answers the depth in bytes per call kind (the wipe covers 65,536 bytes below
 * release()'s frame, itself ~130 bytes below the top). */
export async function stackDepths(pkg) {
  freeze(1282);
  const { m, raw } = await load(pkg);
  const top = fullPointer(raw).value;
  const fillCanary = () => new Uint8Array(raw.memory.buffer, 0, top).fill(0xcc);
  const lowest = () => { const u = new Uint8Array(raw.memory.buffer, 0, top); let i = 0; while (i < top && u[i] === 0xcc) i++; return top - i; };
  const depth = (f) => { fillCanary(); try { f(); } catch {} return lowest(); };
  const c = new m.OAuthClient({ provider: "payout", clientId: "cid", redirectUri, stateKey: KEY, clientSecret: "SECRET-depth" });
  const cu = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, clientSecret: "SECRET-custom" });
  const f = c.startAuthorization({ scopes: ["a"], payload: "p".repeat(2048), params: { login_hint: "u" } });
  const deepJson = (n) => "[".repeat(n) + "]".repeat(n);
  const tokenBody = JSON.stringify({ access_token: "AT-" + "a".repeat(4000), token_type: "Bearer", refresh_token: "RT-depth", expires_in: 3600, scope: "a b", extra: JSON.parse(deepJson(50)) });
  const out = {
    start: depth(() => c.startAuthorization({ scopes: ["a"] })),
    startBig: depth(() => c.startAuthorization({ scopes: Array(100).fill("s".repeat(20)), payload: "q".repeat(2048), params: { p: "v".repeat(3000) } })),
    parseCallback: depth(() => c.parseCallback(`${redirectUri}?code=C&state=${f.state}`, f.pending)),
    parseCallbackLong: depth(() => c.parseCallback(`${redirectUri}?code=${"C".repeat(9000)}&state=${f.state}`, f.pending)),
    codeRequest: depth(() => c.codeRequest({ code: "C", state: f.state }, f.pending)),
    prepareCode: depth(() => c.prepareCode({ code: "C", state: f.state }, f.pending).release()),
    finishToken: depth(() => { const ex = c.prepareCode({ code: "C", state: f.state }, f.pending); ex.finish(200, undefined, tokenBody); }),
    finishDeep: 0,
    finishError: depth(() => { const ex = cu.prepareRefresh({ accessToken: "a", refreshToken: "r" }); ex.finish(400, 'Bearer error="invalid_token"', JSON.stringify({ error: "invalid_grant", error_description: "x".repeat(3000) })); }),
    refresh: depth(() => cu.prepareRefresh({ accessToken: "a", refreshToken: "RT-" + "r".repeat(5000) }).request),
    clientCredentials: depth(() => cu.prepareClientCredentials({ scopes: ["x"] }).request),
    release: depth(() => new m.OAuthClient({ provider: "payout", clientId: "c", redirectUri }).free()),
  };
  let deepest = 0, at = 0;
  for (const n of [10, 100, 200, 500, 1000, 2000, 5000]) {
    const body = JSON.stringify({ access_token: "AT", token_type: "Bearer" }).slice(0, -1) + ',"x":' + deepJson(n) + "}";
    const d = depth(() => { const ex = c.prepareCode({ code: "C", state: f.state }, f.pending); ex.finish(200, undefined, body); });
    if (d > deepest) (deepest = d), (at = n);
  }
  out.finishDeep = deepest;
  out.finishDeepAt = at;
  // The JWT check, if the package has one.
  if (m.JwtCheck || c.prepareJwtCheck) out.jwt = "present";
  return { top, out };
}

/** 3: a secret of a freed client. A client with a secret and a state key starts, parses its callback, prepares a
 * code exchange and finishes it (tokens), refreshes (a rotated refresh token), then every Exchange is released and
 * the client freed: which of its secrets does the module's memory still hold, and where (the stack's region below
 * `top`, or the heap)? `order` says when the client is freed: "last" after everything, "beforeFinish" between an
 * Exchange's preparation and its finish (the Exchange holds the client), "insideStart" from Date.now during the last
 * start, "insideToJSON" from the callback's toJSON during prepareCode. */
export async function secretsAfterFree(pkg, order = "last") {
  freeze(1283);
  const { m, raw } = await load(pkg);
  const top = fullPointer(raw).value;
  const secret = "SECRET-client-review128-" + "s".repeat(16);
  const c = new m.OAuthClient({ provider: "payout", clientId: "cid", redirectUri, stateKey: KEY, clientSecret: secret });
  const f1 = c.startAuthorization({ scopes: ["a"] });
  const v1 = pendingFields(c.parseCallback(`${redirectUri}?code=CODE-first-review128&state=${f1.state}`, f1.pending) && f1.pending);
  const code = "CODE-review128-" + "c".repeat(20);
  const at = "AT-review128-" + "a".repeat(30), rt = "RT-review128-" + "r".repeat(30), rt2 = "RT2-review128-" + "q".repeat(30);
  const tokenBody = JSON.stringify({ access_token: at, token_type: "Bearer", refresh_token: rt, expires_in: 3600 });
  let ex = c.prepareCode({ code, state: f1.state }, f1.pending);
  const reqBody = ex.request.body;
  const verifiers = [];
  const tok = ex.finish(200, undefined, tokenBody);
  ex.release();
  let ex2 = c.prepareRefresh(tok);
  if (order === "beforeFinish") c.free();
  ex2.finish(200, undefined, JSON.stringify({ access_token: at + "2", token_type: "Bearer", refresh_token: rt2 }));
  ex2.release();
  let last;
  if (order === "insideStart") {
    let armed = true;
    Date.now = () => { if (armed) { armed = false; c.free(); } return clock; };
    last = c.startAuthorization({ payload: "last" });
    Date.now = () => clock;
  } else if (order === "insideRandom") {
    let armed = true;
    const fill = crypto.getRandomValues;
    crypto.getRandomValues = (a) => { if (armed) { armed = false; c.free(); } return fill(a); };
    for (let k = 0; k < 400 && armed; k++) { try { last = c.startAuthorization({ payload: "last" }); } catch { break; } }
    crypto.getRandomValues = fill;
  } else if (order === "beforeFinish") last = f1;
  else last = c.startAuthorization({ payload: "last" });
  const lastVerifier = pendingFields(last.pending)?.fields[5];
  if (order === "insideToJSON") {
    const cb = { toJSON() { c.free(); return { code: code + "-tojson", state: last.state }; } };
    outcome(() => c.prepareCode(cb, last.pending));
  }
  if (order !== "insideStart" && order !== "insideRandom" && order !== "beforeFinish") c.free();
  const mem = Buffer.from(raw.memory.buffer);
  const where = (x) => { const r = []; let i = -1; while ((i = mem.indexOf(x, i + 1)) >= 0) r.push(i < top ? "stack" : "heap"); return r; };
  const v1f = pendingFields(f1.pending).fields;
  return {
    clientSecret: where(secret), stateKey: where(KEY), code: where(code), codeFirst: where("CODE-first-review128"),
    verifier1: where(v1f[5]), verifier1raw: where(b64d(v1f[5])), lastVerifier: where(lastVerifier), lastVerifierRaw: where(b64d(lastVerifier)),
    accessToken: where(at), refreshToken: where(rt), rotated: where(rt2), bodyHasCode: reqBody.includes(code),
  };
}

/** 4: release() nested inside other calls: free() of another client, or of the same one, from each place app code
 * runs inside a call (Date.now, getRandomValues, encodeInto, an option getter, a callback's toJSON, an options
 * getter of prepareCode) at JS depths near the stack's limit too; then the outer call's answer is checked (its own
 * state and challenge) and 20 later starts on a fresh client must answer well. Counts failures. */
export async function nested(pkg, modes = ["shallow", "nested3", "limit"]) {
  const fill = freeze(1284);
  const { m, raw } = await load(pkg);
  const fails = [];
  let n = 0;
  const mk = () => new m.OAuthClient({ provider: "payout", clientId: "cid", redirectUri, stateKey: KEY, clientSecret: "S" });
  const checkStart = (f, label) => {
    const pf = pendingFields(f.pending);
    const url = new URL(f.url);
    if (url.searchParams.get("state") !== f.state || pf.fields[3] !== f.state) fails.push([label, "state"]);
    if (url.searchParams.get("code_challenge") !== createHash("sha256").update(pf.fields[5]).digest("base64url")) fails.push([label, "challenge"]);
  };
  const places = {
    clock: (hook) => { Date.now = () => (hook(), clock); return () => (Date.now = () => clock); },
    random: (hook) => { crypto.getRandomValues = (a) => (hook(), fill(a)); return () => (crypto.getRandomValues = fill); },
    encodeInto: (hook) => { const e = TextEncoder.prototype.encodeInto; TextEncoder.prototype.encodeInto = function (s, v) { hook(); return e.call(this, s, v); }; return () => (TextEncoder.prototype.encodeInto = e); },
  };
  const targets = ["same", "other", "otherWithFlows"];
  const tally = { ok: 0, err: {}, range: 0 };
  const count = (r) => { if (Array.isArray(r) && r[0] === "ERR") tally.err[r[1]] = (tally.err[r[1]] ?? 0) + 1; else if (Array.isArray(r) && r[0] === "THROW") { if (r[1] === "RangeError") tally.range++; else fails.push(["throw", r]); } else tally.ok++; };
  for (const depthMode of modes) {
    for (const [place, install] of Object.entries(places)) {
      for (const t of targets) {
        const c = mk(), o = mk();
        const pre = o.startAuthorization({ scopes: ["pre"] });
        let armed = true;
        const victim = t === "same" ? c : o;
        const hook = () => {
          if (!armed) return;
          armed = false;
          if (t === "otherWithFlows") { const g = o.startAuthorization({ payload: "inner" }); checkStart(g, "inner"); }
          if (depthMode === "nested3") {
            // Three levels: a start whose hook starts another, whose hook frees.
            const x = mk();
            const r = outcome(() => x.startAuthorization({ payload: "lvl2" }));
            count(r);
          }
          victim.free();
        };
        const undo = install(hook);
        const run = () => {
          for (let k = 0; k < 400 && armed; k++) {
            n++;
            const r = outcome(() => { const f = c.startAuthorization({ scopes: ["a"], payload: "outer" }); checkStart(f, `outer-${place}-${t}`); return f; });
            count(r);
          }
        };
        if (depthMode === "limit") {
          let frames = 0;
          const rec = () => { frames++; try { rec(); } catch {} if (frames-- < 300 && armed) run(); };
          try { rec(); } catch {}
          run();
        } else run();
        undo();
        // The other client's flow, prepared before, still exchanges when it lives.
        const r = outcome(() => o.codeRequest({ code: "C", state: pre.state }, pre.pending));
        if (victim !== o && (!r || Array.isArray(r))) fails.push(["pre", place, t, r]);
        for (const x of [c, o]) try { x.free(); } catch (e) { fails.push(["free threw", String(e)]); }
      }
    }
  }
  // Exchange paths: free() of the client from the callback's toJSON, the options' getter, and from inside an
  // Exchange's finish (no JS runs there: the hook is a getter on nothing) at every place.
  const exAnswers = [];
  for (const how of ["toJSON", "optionsGetter", "beforeRequest"]) {
    const c = mk();
    const f = c.startAuthorization({});
    let cb = { code: "C", state: f.state }, opts;
    if (how === "toJSON") cb = { toJSON() { c.free(); return { code: "C", state: f.state }; } };
    if (how === "optionsGetter") opts = { get skipStateCheck() { c.free(); return false; } };
    const r = outcome(() => { const ex = c.prepareCode(cb, f.pending, opts); if (how === "beforeRequest") c.free(); return ex.request; });
    exAnswers.push([how, Array.isArray(r) ? r.slice(0, 2) : Object.keys(r)]);
  }
  const fresh = mk();
  const after = [];
  for (let k = 0; k < 20; k++) after.push(outcome(() => { const f = fresh.startAuthorization({ scopes: ["z" + k] }); checkStart(f, `after${k}`); return f.url.length > 0; }));
  return { n, fails: fails.slice(0, 10), failCount: fails.length, sawRange: tally.range > 0, errs: tally.err, okAtLeast: tally.ok > 100, exAnswers, after: after.filter((x) => x !== true).length, top: fullPointer(raw).value };
}

/** 5: an Exchange's free(): twice, dispose twice, each method after it, free() from within its own finish (a body
 * getter cannot run: finish takes strings, so from the glue's String conversion), release() then free(), and
 * 2,000 exchanges made and freed (the module's memory does not grow past its first pages). */
export async function exchangeFree(pkg) {
  freeze(1285);
  const { m, raw } = await load(pkg);
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, clientSecret: "SECRET-ex" });
  const code = (f) => { try { const r = f(); return r === undefined ? "undefined" : typeof r; } catch (e) { return e?.name === "OAuthError" ? e.code : `${e?.constructor?.name}: ${e?.message}`; } };
  const tokenBody = JSON.stringify({ access_token: "at", token_type: "Bearer", refresh_token: "rt-x" });
  const out = {};
  const ex = c.prepareRefresh({ accessToken: "a", refreshToken: "RT-free-" + "1".repeat(20) });
  out.sameFn = [ex.free === ex.release, Symbol.dispose ? ex[Symbol.dispose] === ex.release : "none"];
  out.first = [code(() => ex.free()), code(() => ex.free()), code(() => ex.release()), code(() => ex[Symbol.dispose]?.())];
  out.after = [code(() => ex.request), code(() => ex.finish(200, undefined, tokenBody)), code(() => ex.scrub("x")), code(() => ex.readsSuccessBody), code(() => ex.timeoutMs)];
  out.ptrKept = typeof ex.__wbg_ptr === "number" && ex.__wbg_ptr !== 0;
  // free() from inside its own finish: the status's valueOf (+status in the glue) and the body's toString.
  const ex2 = c.prepareRefresh({ accessToken: "a", refreshToken: "RT-free-2" });
  out.insideStatus = code(() => ex2.finish({ valueOf() { ex2.free(); return 200; } }, undefined, tokenBody));
  const ex3 = c.prepareRefresh({ accessToken: "a", refreshToken: "RT-free-3" });
  out.insideBody = code(() => ex3.finish(200, undefined, { toString() { ex3.free(); return tokenBody; } }));
  const ex4 = c.prepareRefresh({ accessToken: "a", refreshToken: "RT-free-4" });
  out.insideScrub = code(() => ex4.scrub({ toString() { ex4.free(); return "text"; } }));
  // The client freed under its Exchange: the Exchange still finishes (it holds the client).
  const ex5 = c.prepareRefresh({ accessToken: "a", refreshToken: "RT-free-5" });
  const c2 = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, clientSecret: "SECRET-ex2" });
  const ex6 = c2.prepareRefresh({ accessToken: "a", refreshToken: "RT-free-6" });
  c2.free();
  out.clientFreedFirst = [code(() => ex6.finish(200, undefined, tokenBody)), code(() => ex6.free())];
  ex5.free();
  // `using` where the runtime has it is the dispose above; the shell: 2,000 exchanges freed, memory after.
  const before = raw.memory.buffer.byteLength;
  for (let i = 0; i < 2000; i++) { const e = c.prepareRefresh({ accessToken: "a", refreshToken: "RT-loop-" + i }); e.free(); e.free(); }
  out.grewPages = (raw.memory.buffer.byteLength - before) >> 16;
  out.heldLoop = Buffer.from(raw.memory.buffer).includes("RT-loop-1999");
  out.heldFree1 = Buffer.from(raw.memory.buffer).includes("RT-free-" + "1".repeat(20));
  out.client = code(() => c.startAuthorization({}));
  return out;
}

/** Finding C1: the last callback's buffer (its code, state and the unsealed pending value, verifier included) is not
 * dropped by free()/release(): it stays in the freed client's wasm-bindgen shell until the object is collected. The
 * last callback's flow is the last start's: its verifier stays in memory after free(). With `gc`, the object is
 * dropped and collected afterwards (node --expose-gc). */
export async function callbackAfterFree(pkg, gc = false) {
  freeze(1286);
  const { m, raw } = await load(pkg);
  let c = new m.OAuthClient({ provider: "payout", clientId: "cid", redirectUri, stateKey: KEY });
  const f = c.startAuthorization({});
  const code = "CODE-review128-C1-" + "7".repeat(12);
  c.parseCallback(`${redirectUri}?code=${code}&state=${f.state}`, f.pending);
  const verifier = pendingFields(f.pending).fields[5];
  c.free();
  const mem = () => Buffer.from(raw.memory.buffer);
  const held = () => ({ verifier: mem().includes(verifier), code: mem().includes(code), next: (() => { try { c?.startAuthorization({}); return "ok"; } catch (e) { return e.code; } })() });
  const afterFree = held();
  if (!gc) return { afterFree };
  c = null;
  for (let k = 0; k < 10; k++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
  const v = mem().includes(verifier);
  return { afterFree, afterGc: { verifier: v } };
}

/** Finding C2: free() called by app code from Date.now inside a start: the start still answers (it holds its count),
 * and its verifier's 32 raw bytes stay on the shadow stack after it returns; release()'s wipe ran before them. */
export async function residueInside(pkg, place = "clock") {
  const fill = freeze(1287);
  const { m, raw } = await load(pkg);
  const c = new m.OAuthClient({ provider: "payout", clientId: "cid", redirectUri, stateKey: KEY });
  c.startAuthorization({ payload: "warm" });
  let armed = true;
  if (place === "clock") Date.now = () => { if (armed) { armed = false; c.free(); } return clock; };
  if (place === "getter") {}
  const o = place === "getter" ? { get payload() { if (armed) { armed = false; c.free(); } return "p"; } } : { payload: "p" };
  const f = c.startAuthorization(o);
  Date.now = () => clock;
  const v = pendingFields(f.pending).fields[5];
  const mem = Buffer.from(raw.memory.buffer), top = fullPointer(raw).value;
  const at = (x) => { const r = []; let i = -1; while ((i = mem.indexOf(x, i + 1)) >= 0) r.push(i < top ? "stack" : "heap"); return r; };
  // Scanned before any later call, which would overwrite the dead frames.
  const found = { base64url: at(v), raw: at(b64d(v)) };
  return { answered: typeof f.url === "string", ...found, freed: (() => { try { c.startAuthorization({}); return "alive"; } catch (e) { return e.code; } })() };
}
