// Review 121's child scripts (tests/pkg/review121.test.mjs runs them; each is a function run in a child Node
// process with the package directory `pkg`, answering a JSON-able value). The clock and crypto.getRandomValues are
// fixed inside each script, before the package is imported. Every hash pinned in the test was 7cb986d's package's
// answer too (both builds), computed by these same functions.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { legacyReader } from "./raw-error.mjs";

/** crypto.getRandomValues answering a linear congruential sequence from `seed`. */
function seeded(seed) {
  let s = seed;
  Object.defineProperty(globalThis.crypto, "getRandomValues", { value: (a) => { const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength); for (let i = 0; i < u.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; u[i] = s >>> 24; } return a; }, configurable: true, writable: true });
}
const digest = (text) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** Starts over 25 clients x 90 start options (scope, token kind, payload and params refusals in every combination;
 * endpoints with and without a query, response_type omitted, grants as a set), crafted pending values (each field
 * absent, empty, invalid UTF-8, U+FFFD, another value; creation times; trailing bytes; every cut) under 15
 * callbacks, the issuer rules, other clients' and other keys' pending values. */
export async function crafted(pkg, entry) {
  seeded(7);
  const NOW = 1765000000000; let now = NOW; Date.now = () => now;
  const m = await import(pkg + entry);
  const ser = (f) => { try { return { ok: f() }; } catch (e) { const r = { err: e?.code ?? (e?.constructor?.name + ":" + e?.message), msg: e?.message }; if (e?.providerCode !== undefined) r.pc = e.providerCode; if (e?.providerMessage !== undefined) r.pm = e.providerMessage; return r; } };
  const R = "https://app.example/cb";
  const out = {};
  const cbv = (v) => v && { code: v.code, state: v.state, payload: v.payload, pv: v.payloadVerified, iss: v.iss, flowId: v.flowId, exp: v.flowExpiresAt };
  // 1. starts: precedence and URL shapes
  const clients = {
    billit: { provider: "billit", clientId: "c", redirectUri: R },
    billitK: { provider: "billit", clientId: "c", redirectUri: R, stateKey: "k".repeat(32) },
    custQ: { provider: "custom", clientId: "c i/d", redirectUri: R, endpoints: { authorize: "https://a.example/auth?x=1&y", token: "https://a.example/t" } },
    custNoRT: { provider: "custom", clientId: "c", redirectUri: R, endpoints: { authorize: "https://a.example/auth", token: "https://a.example/t" }, preset: { responseType: false, scopeSeparator: "," } },
    custNoRTQ: { provider: "custom", clientId: "c", redirectUri: R, endpoints: { authorize: "https://a.example/auth?", token: "https://a.example/t" }, preset: { responseType: false, scopeSeparator: "" } },
    custFrag: { provider: "custom", clientId: "c", redirectUri: R, endpoints: { authorize: "https://a.example/auth#f?x", token: "https://a.example/t" } },
    custGrantsNone: { provider: "custom", clientId: "c", redirectUri: R, endpoints: { authorize: "https://a.example/auth", token: "https://a.example/t" }, preset: { grants: [] } },
    custGrantsRT: { provider: "custom", clientId: "c", redirectUri: R, endpoints: { authorize: "https://a.example/auth", token: "https://a.example/t" }, preset: { grants: ["refresh_token", "refresh_token", "revocation"] } },
    custGrantsAC: { provider: "custom", clientId: "c", redirectUri: R, endpoints: { authorize: "https://a.example/auth", token: "https://a.example/t" }, preset: { grants: ["revocation", "authorization_code"] } },
    custGrantsAll: { provider: "custom", clientId: "c", redirectUri: R, endpoints: { authorize: "https://a.example/auth", token: "https://a.example/t" }, preset: { grants: ["authorization_code","refresh_token","client_credentials","introspection","revocation"] } },
    noRedirect: { provider: "billit", clientId: "c" },
    ms0: { provider: "billit", clientId: "c", redirectUri: R, timeoutMs: 0 }, ms1: { provider: "billit", clientId: "c", redirectUri: R, timeoutMs: 1 }, ms300k: { provider: "billit", clientId: "c", redirectUri: R, timeoutMs: 300000 }, ms300k1: { provider: "billit", clientId: "c", redirectUri: R, timeoutMs: 300001 },
    cid0: { provider: "billit", clientId: "", redirectUri: R }, cidMax: { provider: "billit", clientId: "c".repeat(256), redirectUri: R }, cidMax1: { provider: "billit", clientId: "c".repeat(257), redirectUri: R }, cid512: { provider: "billit", clientId: "c".repeat(512), redirectUri: R }, cid513: { provider: "billit", clientId: "c".repeat(513), redirectUri: R }, cidCtl: { provider: "billit", clientId: "c\u0001", redirectUri: R },
    secretEmpty: { provider: "billit", clientId: "c", redirectUri: R, clientSecret: "" }, secretKeyShort: { provider: "billit", clientId: "c", redirectUri: R, clientSecret: "", stateKey: "short" },
    badKeyThenAge: { provider: "billit", clientId: "c", redirectUri: R, stateKey: "short", stateMaxAge: 0 }, age0: { provider: "billit", clientId: "c", redirectUri: R, stateMaxAge: 0 },
  };
  const scopesSets = [undefined, [], ["a"], ["a", "b c"], ["a", "b,c"], ["a", ""], ["a\"b"], ["\\"], Array(100).fill("s"), Array(101).fill("s"), Array(101).fill(""), ["a", "b", "c,d"], ["é"], ["a b"], ["a+b%"]];
  const startOpts = [];
  for (const scopes of scopesSets) for (const extra of [{}, { tokenKind: "nope" }, { payload: "x".repeat(5000) }, { params: { state: "x" } }, { payload: "p", params: { a: "1 2", "b&": "=" } }, { tokenKind: "nope", payload: "x".repeat(5000), params: { client_id: "x" } }]) startOpts.push({ ...(scopes ? { scopes } : {}), ...extra });
  for (const [name, o] of Object.entries(clients)) {
    const c = ser(() => new m.OAuthClient(o));
    if (!c.ok) { out["ctor " + name] = c; continue; }
    const rows = startOpts.map((so) => ser(() => { const f = c.ok.startAuthorization(so); return [f.url, f.state, f.pending, f.flowId, f.flowExpiresAt]; }));
    out["start " + name] = createHash("sha256").update(JSON.stringify(rows)).digest("hex").slice(0, 16) + " " + rows.filter((r) => r.ok).length + " " + [...new Set(rows.map((r) => r.err ? r.err + ":" + r.msg : "ok"))].join("|");
    out["start0 " + name] = rows.slice(0, 6);
  }
  // 2. crafted pending values (keyless client)
  const b64 = (u8) => Buffer.from(u8).toString("base64url");
  const enc = new TextEncoder();
  const be64 = (n) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(n)); return b; };
  const field = (v) => { if (v === null) return new Uint8Array([0xff, 0xff]); const t = typeof v === "string" ? enc.encode(v) : v; const b = new Uint8Array(2 + t.length); b[0] = t.length >> 8; b[1] = t.length & 255; b.set(t, 2); return b; };
  const cat = (...a) => { const n = a.reduce((x, y) => x + y.length, 0); const o = new Uint8Array(n); let at = 0; for (const x of a) { o.set(x, at); at += x.length; } return o; };
  for (const cname of ["billit", "billitK"]) {
    now = NOW;
    const c = new m.OAuthClient(clients[cname]);
    const f = c.startAuthorization({ payload: "pay" });
    const real = Buffer.from(f.pending.slice(3).split(".")[0], "base64url");
    const st = f.state;
    const base = [1765000000n, "billit", "c", "production", st, R, "v".repeat(43), null];
    const variants = [];
    variants.push(["real", f.pending]);
    const mk = (vals, tail = new Uint8Array(0)) => "p2." + b64(cat(be64(vals[0]), ...vals.slice(1).map(field), tail));
    variants.push(["rebuilt", mk(base)]);
    for (let i = 1; i < 8; i++) {
      for (const rep of [null, "", new Uint8Array([0xff]), new Uint8Array([0xef, 0xbf, 0xbd]), "x", "billit ", "C", "sandbox"]) { const v = base.slice(); v[i] = rep; variants.push([`f${i}=${rep === null ? "absent" : typeof rep === "string" ? JSON.stringify(rep) : "bytes" + rep.length}`, mk(v)]); }
    }
    for (const t of [0n, 1764999000n, 1765000000n - 3600n, 1765000000n - 601n, 1765000000n - 600n, 1765000000n + 1n, 1765001000n, (1n << 64n) - 1n]) { const v = base.slice(); v[0] = t; variants.push(["t=" + t, mk(v)]); }
    variants.push(["trail", mk(base, new Uint8Array([0]))]);
    variants.push(["only7", "p2." + b64(cat(be64(base[0]), ...base.slice(1, 7).map(field)))]);
    const full = Buffer.from(mk(base).slice(3), "base64url");
    for (let cut = 0; cut < full.length; cut += 3) variants.push(["cut" + cut, "p2." + b64(full.subarray(0, cut))]);
    variants.push(["dot", mk(base) + "."]); variants.push(["dotx", mk(base) + ".AAAA"]); variants.push(["pre", "p3" + mk(base).slice(2)]);
    const urls = [`?code=C&state=${st}`, `?code=C&state=${st}&iss=x`, `?state=${st}`, `?error=access_denied&error_description=no`, `?error=e&state=${st}`, `?code=C&state=${st}X`, `?code=C&code=D&state=${st}`, `#code=C&state=${st}`, `?x=1`, `?code=C&state=${st}&state=${st}`, `?code=C%FF&state=${st}`, `?code=%EF%BF%BD&state=${st}`, `?code=C&state=${st}&z=1&z=2`, `?error=e&error=f`, `?code=&state=${st}`];
    const rows = {};
    for (const [vn, p] of variants) rows[vn] = urls.map((u) => { const r = ser(() => cbv(c.parseCallback(R + u, p))); return r.ok ? "ok " + JSON.stringify(r.ok) : r.err + ":" + r.msg + (r.pc !== undefined ? " pc=" + r.pc : "") + (r.pm !== undefined ? " pm=" + r.pm : ""); });
    // clock sweep on the real
    for (const dt of [-1, 0, 1, 599, 600, 601, 3600, 86400]) { now = NOW + dt * 1000; rows["clock" + dt] = ser(() => cbv(c.parseCallback(R + urls[0], f.pending))); }
    now = NOW;
    out["pending " + cname] = rows;
  }
  // 3. issuer rules: presets with issuer
  for (const iss of [undefined, "https://idp.example", "https://idp.example/"]) {
    const o = { provider: "custom", clientId: "c", redirectUri: R, endpoints: { authorize: "https://a.example/auth", token: "https://a.example/t" }, preset: iss === undefined ? {} : { issuer: iss } };
    const c = ser(() => new m.OAuthClient(o)); if (!c.ok) { out["iss ctor " + iss] = c; continue; }
    const f = c.ok.startAuthorization({});
    out["iss " + iss] = ["", "&iss=https://idp.example", "&iss=https%3A%2F%2Fidp.example", "&iss=https://idp.example/", "&iss=", "&iss=https://idp.example&iss=https://idp.example", "&iss=x"].flatMap((q) => [`?code=C&state=${f.state}${q}`, `?error=e&state=${f.state}${q}`, `?error=e${q}`]).map((u) => { const r = ser(() => cbv(c.ok.parseCallback(R + u, f.pending))); return r.ok ? "ok " + JSON.stringify(r.ok) : r.err + ":" + r.msg + " pc=" + r.pc; });
  }
  // 4. other client's pending
  {
    const mkc = (o) => new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri: R, ...o });
    const a = mkc({}); const f = a.startAuthorization({});
    const others = { id: mkc({ clientId: "d" }), env: mkc({ environment: "sandbox" }), keyed: mkc({ stateKey: "k".repeat(32) }), redirect: mkc({ redirectUri: "https://app.example/other" }), prov: new m.OAuthClient({ provider: "factorial", clientId: "c", redirectUri: R }) };
    out.others = Object.fromEntries(Object.entries(others).map(([k, c]) => [k, ser(() => cbv(c.parseCallback(`${R}?code=C&state=${f.state}`, f.pending)))]));
    const ka = mkc({ stateKey: "k".repeat(32) }); const kf = ka.startAuthorization({ payload: "p" });
    const kb = mkc({ stateKey: "j".repeat(32) }); const kc = mkc({ stateKey: ["j".repeat(32), "k".repeat(32)] });
    out.sealed = [kb, kc, a].map((c) => ser(() => cbv(c.parseCallback(`${R}?code=C&state=${kf.state}`, kf.pending))));
  }
  return out;
}

/** N seeded random callbacks (names, values, escapes, duplicates, separators, fragments, clocks) against three
 * clients (keyless, two keys, an issuer and a 30 s age), with tampered, cut and other clients' pending values and
 * tampered states: every answer hashed. */
export async function callbacks(pkg, entry, N) {
  seeded(9);
  let now = 1765000000000; Date.now = () => now;
  const m = await import(pkg + entry);
  let r = 12345; const rnd = (n) => { r = (Math.imul(r, 1103515245) + 12345) >>> 0; return (r >>> 8) % n; };
  const pick = (a) => a[rnd(a.length)];
  const R = "https://app.example/cb";
  const clients = [
    new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri: R }),
    new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri: R, stateKey: ["k".repeat(32), "j".repeat(40)] }),
    new m.OAuthClient({ provider: "custom", clientId: "c", redirectUri: R, endpoints: { authorize: "https://a.example/a", token: "https://a.example/t" }, preset: { issuer: "https://idp.example" }, stateMaxAge: 30 }),
  ];
  const names = ["code", "state", "error", "error_description", "iss", "authorization_code", "x", "", "Code", "co%64e", "st%61te", "error_uri", "session_state"];
  const vals = ["C", "", "%FF", "%EF%BF%BD", "%C3%A9", "a+b", "%", "%2", "%zz", "=", "%3D", "é", "\uFFFD", "https://idp.example", "https%3A%2F%2Fidp.example", "x".repeat(50), "%00", "\u0001"];
  const h = createHash("sha256"); let ok = 0, n = 0; const codes = {};
  for (let i = 0; i < N; i++) {
    const ci = rnd(3), c = clients[ci];
    now = 1765000000000 + rnd(5) * 1000;
    const f = c.startAuthorization(rnd(2) ? {} : { payload: pick(["p", "é", ""]) });
    now += pick([0, 1000, 29000, 31000, 599000, 601000, -5000]);
    let pending = f.pending;
    const pm = rnd(10);
    if (pm === 0) { const at = rnd(pending.length); pending = pending.slice(0, at) + pick(["A", "_", "-", ".", "", "=", "%"]) + pending.slice(at + 1); }
    else if (pm === 1) pending = pending.slice(0, rnd(pending.length + 1));
    else if (pm === 2) pending = clients[(ci + 1) % 3].startAuthorization({}).pending;
    let state = f.state;
    if (rnd(8) === 0) { const at = rnd(state.length); state = state.slice(0, at) + pick(["A", "_", ".", "", "%41"]) + state.slice(at + 1); }
    const pairs = [];
    const k = rnd(6);
    for (let j = 0; j < k; j++) { const nm = pick(names); pairs.push(rnd(3) ? `${nm}=${nm === "state" ? (rnd(4) ? state : pick(vals)) : pick(vals)}` : rnd(2) ? nm : `${nm}=${pick(vals)}=${pick(vals)}`); }
    if (rnd(4)) pairs.splice(rnd(pairs.length + 1), 0, `state=${state}`);
    if (rnd(3)) pairs.splice(rnd(pairs.length + 1), 0, `code=${pick(vals)}`);
    const q = pairs.join(pick(["&", "&", "&&", ";"]));
    const url = pick([R + "?" + q, "?" + q, q, R + "?" + q + "#" + q, R + "#" + q, "/cb?" + q]);
    let ans;
    try { const v = c.parseCallback(url, pending); ans = "ok " + JSON.stringify([v.code, v.state, v.payload, v.payloadVerified, v.iss, v.flowId, v.flowExpiresAt]); ok++; }
    catch (e) { ans = `${e.code}:${e.message}|${e.providerCode}|${e.providerMessage}`; codes[e.code] = (codes[e.code] || 0) + 1; }
    h.update(ans + "\n"); n++;
  }
  return { n, ok, hash: h.digest("hex").slice(0, 16), codes };
}

/** N seeded random starts over 87 clients (six authorize endpoints with and without a query, presets without
 * response_type, with separators, params, no PKCE, grants): URL, state, pending value, flow id, or the refusal. */
export async function starts(pkg, entry, N) {
  seeded(3);
  Date.now = () => 1765000000000;
  const m = await import(pkg + entry);
  let r = 4242; const rnd = (n) => { r = (Math.imul(r, 1103515245) + 12345) >>> 0; return (r >>> 8) % n; };
  const pick = (a) => a[rnd(a.length)];
  const R = "https://app.example/cb";
  const eps = ["https://a.example/a", "https://a.example/a?", "https://a.example/a?x=1", "https://a.example/a?x=1&", "https://a.example/p%20a?y", "https://a.example/?&"];
  const clients = [];
  for (const ep of eps) for (const preset of [{}, { responseType: false }, { scopeSeparator: "," }, { scopeSeparator: "" , responseType: false }, { authorizeParams: { p: "v w", q: "" } }, { pkce: "unsupported" }, { grants: ["authorization_code", "revocation"] }]) for (const key of [undefined, "k".repeat(32)])
    clients.push(new m.OAuthClient({ provider: "custom", clientId: pick(["c", "c d", "c&d=é"]), redirectUri: pick([R, R + "?a=b"]), endpoints: { authorize: ep, token: "https://a.example/t" }, preset, ...(key ? { stateKey: key } : {}) }));
  for (const p of ["billit", "factorial", "payfit"]) { try { clients.push(new m.OAuthClient({ provider: p, clientId: "c", redirectUri: R })); } catch {} }
  const toks = ["a", "b", "read:x", "a b", "a,b", "", "é", "\"", "\\", "~", "!", "x".repeat(300), "%41", "+"];
  const h = createHash("sha256"); const kinds = {};
  for (let i = 0; i < N; i++) {
    const c = pick(clients);
    const o = {};
    if (rnd(2)) o.scopes = Array.from({ length: pick([0, 1, 2, 3, 100, 101]) }, () => pick(toks));
    if (rnd(3) === 0) o.payload = pick(["", "p", "é😀", "x".repeat(2048), "x".repeat(2049)]);
    if (rnd(5) === 0) o.tokenKind = pick(["bearer", "nope", ""]);
    if (rnd(2)) o.params = Object.fromEntries(Array.from({ length: rnd(4) }, () => [pick(["x", "y", "state", "Scope", "p", "prompt", "a b", "é", "code_challenge", ""]), pick(toks)]));
    let a;
    try { const f = c.startAuthorization(o); a = [f.url, f.state, f.pending, f.flowId, f.flowExpiresAt]; kinds.ok = (kinds.ok || 0) + 1; }
    catch (e) { a = e.code + ":" + e.message; kinds[e.code + ":" + e.message.slice(0, 40)] = (kinds[e.code + ":" + e.message.slice(0, 40)] || 0) + 1; }
    h.update(JSON.stringify(a) + "\n");
  }
  return { n: N, clients: clients.length, hash: h.digest("hex").slice(0, 16), kinds };
}

/** The page wasm's raw exports (`w`, made anew by `fresh()` after a trap) and `read(failed)`: an export's answer
 * from its slots and part, the part then freed. */
async function rawPage(pkg) {
  const { PAGE_CODES } = await import(pkg + "error-codes.js");
  // The error answer in the layout this review pinned (raw-error.mjs: the message filled as raw.js fills it).
  const legacy = await legacyReader(pkg);
  const mod = new WebAssembly.Module(readFileSync(new URL("page/partner_oauth_bg.wasm", pkg)));
  const dec = new TextDecoder();
  const page = { fresh: () => (page.w = new WebAssembly.Instance(mod, {}).exports) };
  page.fresh();
  page.read = (failed) => {
    const w = page.w;
    let slots = new Float64Array(w.memory.buffer, w.s(), 12).slice();
    let part = new Uint8Array(w.memory.buffer).slice(slots[0], slots[0] + slots[1]);
    w.d(slots[2], slots[3]);
    if (!failed) return ["OK", dec.decode(part), Array.from(slots.slice(4, 10))];
    [slots, part] = legacy(slots, part);
    let p = 0;
    const t = (i) => (slots[i] < 0 ? slots[i] : dec.decode(part.subarray(p, (p += slots[i]))));
    return ["ERR", PAGE_CODES[slots[4]], t(5), t(6), t(7)];
  };
  return page;
}

/** The page wasm's raw `n` (client_new) then `t` (start, 48 fixed random bytes) over grants lists options.js never
 * writes: counts 0-3 and lying counts, indices 0-8, 31/32, 63-65, 255/256, 2^32, u64::MAX, 2^64, non-digits, a
 * record cut inside the list. */
export async function rawGrants(pkg) {
  const page = await rawPage(pkg);
  let w = page.w;
  const read = page.read, te = new TextEncoder();
  let traps = 0;
  const call = (text, random) => {
    const bytes = te.encode(text);
    const cap = bytes.length + random.length;
    const at = w.a(cap) >>> 0;
    const mem = new Uint8Array(w.memory.buffer);
    mem.set(random, at); mem.set(bytes, at + random.length);
    return [at, cap, bytes.length];
  };
  const one = (rec) => {
    try {
      const [at, cap, len] = call(rec, new Uint8Array(0));
      if (w.n(at, cap, len, 0)) return read(true);
      const handle = new Float64Array(w.memory.buffer, w.s(), 10)[4];
      const rnd = new Uint8Array(48).map((_, i) => i * 7 + 3);
      const [a2, c2, l2] = call("~~~~", rnd);
      const r = w.t(handle, a2, c2, 48, l2, 1765000000000) ? read(true) : read(false);
      w.f(handle);
      return r;
    } catch (e) { traps++; w = page.fresh(); return ["TRAP", String(e)]; }
  };
  const pre = "6:custom~1:c~22:https://app.example/cb~1:o19:https://a.example/a19:https://a.example/t~~~1:o~~~~~~~~~";
  const post = "~~~~~~~";
  const out = {};
  const idx = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "31", "32", "63", "64", "65", "255", "256", "4294967296", "18446744073709551615", "18446744073709551616", "x", "", "00", "-1"];
  const put = (t) => te.encode(t).length + ":" + t;
  for (const count of [0, 1, 2, 3]) {
    const lists = count === 0 ? [[]] : count === 1 ? idx.map((i) => [i]) : count === 2 ? idx.flatMap((i) => ["0", "5", "8"].map((j) => [i, j])) : [["1", "9", "0"], ["8", "16", "0"], ["0", "0", "0"]];
    for (const l of lists) { const rec = pre + put(String(count)) + l.map((x) => (x === "~" ? "~" : put(x))).join("") + post; out[rec.slice(pre.length)] = one(rec); }
  }
  // counts that lie
  for (const c of ["4294967296", "18446744073709551615", "5", "100", "7"]) { const rec = pre + put(c) + put("0") + post; out["count" + c] = one(rec); }
  for (const tail of ["~", "1:~", "1:0~", "1:0"]) { const rec = pre + tail; out["tail " + tail] = one(rec); }
  out.traps = traps;
  return out;
}

/** N records mutated at random (tokens inserted, cut, replaced) from three clients' records, fed to the raw `n`;
 * each accepted client's provider and environment (`p`), then a start with one of eight start records (`t`). */
export async function rawRecords(pkg, N) {
  const page = await rawPage(pkg);
  let w = page.w;
  const read = page.read, te = new TextEncoder();
  let traps = 0;
  const put = (bytes, random) => { const cap = bytes.length + random.length; const at = w.a(cap) >>> 0; const mem = new Uint8Array(w.memory.buffer); mem.set(random, at); mem.set(bytes, at + random.length); return [at, cap, bytes.length]; };
  const one = (bytes, startRec) => {
    try {
      const [at, cap, len] = put(bytes, new Uint8Array(0));
      if (w.n(at, cap, len, 0)) return read(true);
      const handle = new Float64Array(w.memory.buffer, w.s(), 10)[4];
      const names = [w.p(handle, 0) ? read(true) : read(false), w.p(handle, 1) ? read(true) : read(false)];
      const rnd = new Uint8Array(48).map((_, i) => i * 7 + 3);
      const [a2, c2, l2] = put(te.encode(startRec), rnd);
      const r = w.t(handle, a2, c2, 48, l2, 1765000000000) ? read(true) : read(false);
      w.f(handle);
      return [names, r];
    } catch (e) { traps++; w = page.fresh(); return ["TRAP", String(e)]; }
  };
  const bases = [
    "6:custom~1:c~22:https://app.example/cb4:1:k32:kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk1:o19:https://a.example/a19:https://a.example/t~~~1:o1:t1:0~~~~~~~~1:21:11:0~1:23:p=v~~3:6001:51:t",
    "9:factorial4:demo3:cid~22:https://app.example/cb~~~~~~",
    "6:billit~1:c~22:https://app.example/cb~~~~~~",
  ];
  const toks = ["~", "0:", "1:", "2:", "1:t", "1:f", "1:o", "1:0", "1:5", "2:99", "20:18446744073709551615", "10:4294967296", "3:abc", ":", "9", "é", "1:~", "01:x"];
  let r = 777; const rnd = (n) => { r = (Math.imul(r, 1103515245) + 12345) >>> 0; return (r >>> 8) % n; };
  const starts = ["~~~~", "1:21:a1:b~~~", "~3:pay~~", "~~5:bearer~", "~~~1:21:a1:b", "1:1~~~", "3:~~~", "~~~1:11:x"];
  const h = createHash("sha256"); const kinds = {};
  for (let i = 0; i < N; i++) {
    let t = bases[rnd(3)];
    const k = 1 + rnd(3);
    for (let j = 0; j < k; j++) {
      const at = rnd(t.length + 1), op = rnd(3);
      if (op === 0) t = t.slice(0, at) + toks[rnd(toks.length)] + t.slice(at);
      else if (op === 1) t = t.slice(0, at) + t.slice(at + 1 + rnd(4));
      else t = t.slice(0, at) + toks[rnd(toks.length)] + t.slice(at + 1);
    }
    const a = one(te.encode(t), starts[rnd(starts.length)]);
    const s = JSON.stringify(a); h.update(t + "\t" + s + "\n");
    const kk = a[0] === "ERR" ? a[1] : a[0] === "TRAP" ? "TRAP" : "OK " + (a[1][0] === "ERR" ? a[1][1] : "started"); kinds[kk] = (kinds[kk] || 0) + 1;
  }
  return { n: N, traps, hash: h.digest("hex").slice(0, 16), kinds };
}

/** A value planted on Array.prototype[1] (before or after load): the options schema's one-element entries
 * (["environment"], ["redirectUri"], ["payload"], ...) are destructured through the array iterator, which stops at
 * their length, so no planted index becomes a field's type. */
export async function plantedIndex(pkg, entry, when, value) {
  seeded(5);
  Date.now = () => 1765000000000;
  const plant = () => { Array.prototype[1] = value; }; // eslint-disable-line no-extend-native
  if (when === "before") plant();
  const m = await import(pkg + entry + "?planted-" + when);
  if (when === "after") plant();
  const ans = (f) => { try { return f(); } catch (e) { return "E " + e.code + ": " + e.message; } };
  const redirectUri = "https://app.example/cb";
  const out = [];
  try {
    out.push(ans(() => { const c = new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri }); return [c.environment, c.startAuthorization({ payload: "p", tokenKind: undefined }).url.length]; }));
    out.push(ans(() => { const c = new m.OAuthClient({ provider: "billit", environment: "sandbox", clientId: "c", redirectUri, stateKey: "k".repeat(32) }); const f = c.startAuthorization({ payload: "pay" }); return [c.environment, f.state.includes("."), c.parseCallback(redirectUri + "?code=C&state=" + f.state, f.pending).payload]; }));
    out.push(ans(() => { const c = new m.OAuthClient({ provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://a.example/a", token: "https://a.example/t" }, preset: { issuer: "https://idp.example", scopeSeparator: "," } }); return c.startAuthorization({ scopes: ["a", "b"] }).url; }));
  } finally {
    delete Array.prototype[1];
  }
  return out;
}

/** The page wasm's raw `c` (callback) given a keyed client's real callback and pending value in buffers of six
 * capacities (0 to 4 KiB) with every pairing of 12 URL lengths and 9 pending lengths (-3, -2, -1, 0, off by one
 * either way, the whole input, 2^30, i32::MAX): 648 calls. */
export async function rawCallback(pkg) {
  seeded(1);
  Date.now = () => 1765000000000;
  const m = await import(pkg + "page-node.js");
  const c = new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri: "https://app.example/cb", stateKey: "k".repeat(32) });
  const f = c.startAuthorization({ payload: "pé" });
  const { PAGE_CODES } = await import(pkg + "error-codes.js");
  const mod = new WebAssembly.Module(readFileSync(new URL("page/partner_oauth_bg.wasm", pkg)));
  let w = new WebAssembly.Instance(mod, {}).exports;
  const te = new TextEncoder(), dec = new TextDecoder();
  // The error answer in the layout this review pinned (raw-error.mjs: the message filled as raw.js fills it).
  const legacy = await legacyReader(pkg);
  const read = (failed) => { let slots = new Float64Array(w.memory.buffer, w.s(), 12).slice(); let part = new Uint8Array(w.memory.buffer).slice(slots[0], slots[0] + slots[1]); w.d(slots[2], slots[3]); if (failed) [slots, part] = legacy(slots, part); return [failed ? "ERR" : "OK", failed ? PAGE_CODES[slots[4]] : "", dec.decode(part), Array.from(slots.slice(failed ? 5 : 4, 10))]; };
  const mk = () => { const rec = te.encode("6:billit~1:c~22:https://app.example/cb1:132:kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk~~~~~"); const at = w.a(rec.length) >>> 0; new Uint8Array(w.memory.buffer).set(rec, at); if (w.n(at, rec.length, rec.length, 0)) return [0, read(true)]; return [new Float64Array(w.memory.buffer, w.s(), 10)[4], null]; };
  let [h, e] = mk();
  const out = { ctor: e };
  const url = te.encode("https://app.example/cb?code=C%C3%A9&state=" + f.state + "&iss=x"), pend = te.encode(f.pending);
  const lens = [-3, -2, -1, 0, 1, 5, url.length - 1, url.length, url.length + 1, url.length + pend.length, 1 << 30, 2147483647];
  const plens = [-3, -2, -1, 0, 1, pend.length - 1, pend.length, pend.length + 1, 2147483647];
  let traps = 0; const rows = [];
  for (const cap of [0, 1, url.length, url.length + pend.length, url.length + pend.length + 7, 4096]) for (const ul of lens) for (const pl of plens) {
    try {
      const at = w.a(cap) >>> 0; const mem = new Uint8Array(w.memory.buffer);
      const both = new Uint8Array(url.length + pend.length); both.set(url); both.set(pend, url.length);
      mem.set(both.subarray(0, cap), at);
      rows.push(JSON.stringify([cap, ul, pl, w.c(h, at, cap, ul, pl, 1765000000000) ? read(true) : read(false)]));
    } catch (x) { traps++; rows.push("TRAP " + x); w = new WebAssembly.Instance(mod, {}).exports; [h] = mk(); }
  }
  out.traps = traps; out.n = rows.length; out.hash = createHash("sha256").update(rows.join("\n")).digest("hex").slice(0, 16);
  const kinds = {}; for (const r of rows) { const k = r.includes('"OK"') ? "OK" : (r.match(/"ERR","([a-z_]+)","([^"]{0,40})/) || [r.slice(0, 30)]).slice(1).join(":"); kinds[k] = (kinds[k] || 0) + 1; } out.kinds = kinds;
  return out;
}
