// Review 129's scripts (tests/pkg/review129.test.mjs): each runs in a child Node process on a package URL `pkg`
// and answers a summary (counts, traps and a hash of every answer) that the test pins; `answers: true` answers
// every answer too. Run by hand against two packages (d6f1564's and 83b73c8's), they are the old/new oracle.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { legacyReader } from "./raw-error.mjs";

const te = new TextEncoder();
const put = (t) => te.encode(t).length + ":" + t;
const NOW = 1765000000000;
const summary = (answers, extra = {}) => {
  const kinds = {};
  for (const a of answers) {
    const k = a[0] === "ERR" ? a[1] : a[0] === "TRAP" ? "TRAP" : a[0] === "OK" ? "OK" : JSON.stringify(a).slice(0, 30);
    kinds[k] = (kinds[k] || 0) + 1;
  }
  return { n: answers.length, kinds, hash: createHash("sha256").update(JSON.stringify(answers)).digest("hex").slice(0, 16), ...extra };
};

/** The page wasm's raw exports, `fresh()` after a trap, `read(failed)` an export's answer (its part then freed). */
async function rawPage(pkg) {
  const { PAGE_CODES } = await import(pkg + "error-codes.js");
  const legacy = await legacyReader(pkg);
  const mod = new WebAssembly.Module(readFileSync(new URL("page/partner_oauth_bg.wasm", pkg)));
  const dec = new TextDecoder();
  const page = { traps: 0, fresh: () => (page.w = new WebAssembly.Instance(mod, {}).exports) };
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
  // Bytes (then random bytes first) into a new buffer of the wasm's: [address, capacity, bytes' length].
  page.put = (bytes, random = new Uint8Array(0)) => {
    const cap = bytes.length + random.length;
    const at = page.w.a(cap) >>> 0;
    const mem = new Uint8Array(page.w.memory.buffer);
    mem.set(random, at);
    mem.set(bytes, at + random.length);
    return [at, cap, bytes.length];
  };
  const rnd = new Uint8Array(48).map((_, i) => i * 7 + 3);
  // A client from a record (`n`), its two names (`p`), a start (`t`) with `startRec`, freed (`f`).
  page.client = (bytes, startRec = "~~~~") => {
    const w = page.w;
    try {
      const [at, cap, len] = page.put(bytes);
      if (w.n(at, cap, len, 0)) return page.read(true);
      const handle = new Float64Array(w.memory.buffer, w.s(), 10)[4];
      const names = [w.p(handle, 0) ? page.read(true) : page.read(false), w.p(handle, 1) ? page.read(true) : page.read(false)];
      const [a2, c2, l2] = page.put(typeof startRec === "string" ? te.encode(startRec) : startRec, rnd);
      const r = w.t(handle, a2, c2, 48, l2, NOW) ? page.read(true) : page.read(false);
      w.f(handle);
      return ["OK", names, r];
    } catch (e) {
      page.traps++;
      page.fresh();
      return ["TRAP", String(e)];
    }
  };
  return page;
}

async function optionsOf(pkg) {
  const dir = readdirSync(new URL("snippets/", pkg)).find((d) => d.startsWith("partner-oauth-"));
  return import(pkg + "snippets/" + dir + "/src/wasm/options.js");
}

// Numbers and lengths options.js never writes.
export const NUMBERS = [
  "", "0", "1", "2", "5", "7", "8", "00", "01", "0000000000000000000000000000001", "600", "86399", "86400", "86401",
  "299999", "300000", "300001", "65535", "65536", "2147483647", "2147483648", "4294967293", "4294967294", "4294967295",
  "4294967296", "4294967297", "4295053696", "4295267296", "8589934592", "9007199254740993", "18446744069414584320",
  "18446744073709551614", "18446744073709551615", "18446744073709551616", "18446744073709551617", "18446744073709551625",
  "99999999999999999999", "184467440737095516150", "1".repeat(40), "-1", "+1", " 1", "1 ", "1e3", "0x10", "１",
  "\u0000", "1\u0000", "٣", "~",
];

/** Every number of the client record (stateMaxAge, timeoutMs, grants' indices, the lists' counts, the choices)
 * replaced by each of NUMBERS; then a start whose lists' counts and the record's lengths are forged. */
export async function rawNumbers(pkg, answers = false) {
  const page = await rawPage(pkg);
  const { clientOptions, startOptions } = await optionsOf(pkg);
  const out = [];
  // Markers options.js writes as numbers or list counts, one per field, each unique in its record.
  const base = {
    provider: "custom", clientId: "c", redirectUri: "https://app.example/cb", stateKey: ["k".repeat(32)],
    endpoints: { authorize: "https://as.example/a", token: "https://as.example/t" },
    preset: { pkce: "supported", grants: ["refresh_token"], codeParams: ["cp1", "cp2", "cp3"], authorizeParams: { ap: "v" }, defaultLifetime: 111111, refreshTokenLifetime: 222222 },
    stateMaxAge: 3333, timeoutMs: 44444,
  };
  const rec = clientOptions(base);
  const marks = [
    ["stateMaxAge", put("3333")], ["timeoutMs", put("44444")], ["defaultLifetime", put("111111")], ["refreshTokenLifetime", put("222222")],
    ["grantIndex", put("1") + put("1") + put("~").slice(0, 0)], // the grants' count then index "1:11:1"
    ["codeParamsCount", put("3") + put("cp1")], ["pkce", "1:1" + put("~").slice(0, 0)],
  ];
  const sub = (text, mark, value) => {
    const at = text.indexOf(mark);
    if (at < 0) throw new Error("no mark " + mark);
    return text.slice(0, at) + value + text.slice(at + mark.length);
  };
  const cases = [];
  for (const v of NUMBERS) {
    const val = v === "~" ? "~" : put(v);
    cases.push(["stateMaxAge", sub(rec, marks[0][1], val)]);
    cases.push(["timeoutMs", sub(rec, marks[1][1], val)]);
    cases.push(["stateMaxAge+timeout", sub(sub(rec, marks[0][1], put("1")), marks[1][1], val)]);
    cases.push(["defaultLifetime", sub(rec, marks[2][1], val)]);
    cases.push(["grantIndex", sub(rec, "1:11:1", "1:1" + val)]);
    cases.push(["grantCount", sub(rec, "1:11:1", val + "1:1")]);
    cases.push(["codeParamsCount", sub(rec, marks[5][1], val + put("cp1"))]);
    cases.push(["stateKeyCount", sub(rec, "1:132:", val + "32:")]);
    cases.push(["authorizeParamsCount", sub(rec, "1:12:ap", val + "2:ap")]);
    // a record value's own length: the clientId's, the redirect's, the last value's
    if (v !== "~") {
      cases.push(["clientIdLength", sub(rec, "1:c", v + ":c")]);
      cases.push(["redirectLength", sub(rec, "22:https://app.example/cb", v + ":https://app.example/cb")]);
      cases.push(["lastLength", rec.slice(0, -1) + v + ":"]);
      cases.push(["providerLength", v + rec.slice(1)]);
    }
  }
  for (const [label, r] of cases) out.push([label, page.client(te.encode(r))]);
  // The start record: scopes' and params' counts, a payload's length.
  const srec = startOptions({ scopes: ["s1"], payload: "pay", params: { pp: "v" } });
  const client = clientOptions({ provider: "custom", clientId: "c", redirectUri: "https://app.example/cb", endpoints: { authorize: "https://as.example/a" } });
  for (const v of NUMBERS) {
    if (v === "~") continue;
    out.push(["scopesCount", page.client(te.encode(client), sub(srec, "1:12:s1", put(v) + "2:s1"))]);
    out.push(["paramsCount", page.client(te.encode(client), sub(srec, "1:12:pp", put(v) + "2:pp"))]);
    out.push(["payloadLength", page.client(te.encode(client), sub(srec, "3:pay", v + ":pay"))]);
  }
  const list = out.map(([label, a]) => [label, a]);
  return summary(list.map(([, a]) => (a[0] === "OK" ? ["OK", a[1], a[2]] : a)), { traps: page.traps, ...(answers ? { answers: list } : {}) });
}

/** N records mutated at random (seeded) from five clients' records, tokens including numbers near u32 and u64
 * limits, non-UTF-8 and NUL bytes; each fed to `n`, then `p` twice and a start `t` with one of nine records. */
export async function rawFuzz(pkg, N, seed = 129, answers = false) {
  const page = await rawPage(pkg);
  const { clientOptions } = await optionsOf(pkg);
  const bases = [
    clientOptions({ provider: "custom", clientId: "c", redirectUri: "https://app.example/cb", stateKey: ["k".repeat(32), "j".repeat(40)], endpoints: { authorize: "https://a.example/a", token: "https://a.example/t" }, preset: { responseType: true, pkce: "required", grants: ["authorization_code", "revocation"], scopeSeparator: ",", authorizeParams: { p: "v" }, codeParams: ["x"], issuer: "https://i.example" }, stateMaxAge: 600, timeoutMs: 5000, dangerouslyAllowSecretInBrowser: false }),
    clientOptions({ provider: "factorial", environment: "demo", clientId: "cid", redirectUri: "https://app.example/cb" }),
    clientOptions({ provider: "billit", clientId: "c", redirectUri: "https://app.example/cb", stateMaxAge: 86400, timeoutMs: 300000 }),
    clientOptions({ provider: "payout", clientId: "c", redirectUri: "https://app.example/cb", stateKey: "k".repeat(32) }),
    clientOptions({ provider: "tropipay", clientId: "c", redirectUri: "https://app.example/cb", preset: { grants: ["refresh_token"] } }),
  ];
  const toks = ["~", "0:", "1:", "2:", ":", "1:t", "1:f", "1:o", "1:0", "1:1", "1:5", "1:7", "2:99", "10:4294967295", "10:4294967294", "10:4294967296",
    "20:18446744073709551615", "20:18446744073709551616", "4294967295:", "4294967294:", "18446744073709551615:", "18446744073709551616:",
    "3:abc", "9", "é", "\u0000", "1:\u0000", "0:~", "01:x", "6:custom", "6:billit", "4:demo", "1:~"];
  const bad = [[0xff], [0xc3], [0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x00]];
  let r = seed >>> 0;
  const rnd = (n) => {
    r ^= r << 13; r >>>= 0; r ^= r >>> 17; r ^= r << 5; r >>>= 0;
    return r % n;
  };
  const starts = ["~~~~", "1:12:s1~~~", "1:21:a1:b~~~", "~3:pay~~", "~~5:bearer~", "~~~1:21:a1:b", "1:1~~~", "3:~~~", "~~~1:11:x", "4294967295:~~~", "10:4294967296~~~"];
  const list = [];
  for (let i = 0; i < N; i++) {
    let bytes = te.encode(bases[rnd(bases.length)]);
    const k = 1 + rnd(3);
    for (let j = 0; j < k; j++) {
      const at = rnd(bytes.length + 1), op = rnd(4);
      const tok = op === 3 ? Uint8Array.from(bad[rnd(bad.length)]) : te.encode(toks[rnd(toks.length)]);
      const cut = op === 1 ? 1 + rnd(4) : op === 2 ? 1 : 0;
      const mid = op === 1 ? new Uint8Array(0) : tok;
      const next = new Uint8Array(at + mid.length + Math.max(0, bytes.length - at - cut));
      next.set(bytes.subarray(0, at));
      next.set(mid, at);
      next.set(bytes.subarray(Math.min(bytes.length, at + cut)), at + mid.length);
      bytes = next;
    }
    const a = page.client(bytes, starts[rnd(starts.length)]);
    list.push([Buffer.from(bytes).toString("latin1"), a]);
  }
  return summary(list.map(([, a]) => a), { traps: page.traps, ...(answers ? { answers: list } : {}) });
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Callbacks (`c`) whose state and pending value are mutated: each position's byte replaced by every byte value
 * (0-255, non-UTF-8 included), each length cut (every length mod 4), a symbol appended, `+ / =` and padding; on a
 * keyless and a keyed client. Answers the count accepted and whether any accepted callback answered another
 * state or code than the unmutated one. */
export async function rawBase64(pkg, answers = false) {
  const page = await rawPage(pkg);
  const { clientOptions, startOptions } = await optionsOf(pkg);
  const w = () => page.w;
  const mk = (o) => {
    const [at, cap, len] = page.put(te.encode(clientOptions(o)));
    if (w().n(at, cap, len, 0)) throw new Error(JSON.stringify(page.read(true)));
    return new Float64Array(w().memory.buffer, w().s(), 10)[4];
  };
  const base = { provider: "billit", clientId: "c", redirectUri: "https://app.example/cb" };
  const handles = { keyless: mk(base), keyed: mk({ ...base, stateKey: ["k".repeat(32), "j".repeat(40)] }) };
  const list = [];
  const cb = (h, url, pending) => {
    const cat = new Uint8Array(url.length + pending.length);
    cat.set(url);
    cat.set(pending, url.length);
    const [at, cap] = page.put(cat);
    try {
      return w().c(h, at, cap, url.length, pending.length, NOW) ? page.read(true) : page.read(false);
    } catch (e) {
      page.traps++;
      return ["TRAP", String(e)];
    }
  };
  for (const [name, h] of Object.entries(handles)) {
    const rnd = new Uint8Array(48).map((_, i) => (i * 29 + 5) & 255);
    const [a2, c2, l2] = page.put(te.encode(startOptions({ payload: "pay" })), rnd);
    if (w().t(h, a2, c2, 48, l2, NOW)) throw new Error("start failed");
    const st = page.read(false);
    const [url0, stateLen, pendLen] = st[2];
    const state = st[1].slice(url0, url0 + stateLen), pending = st[1].slice(url0 + stateLen, url0 + stateLen + pendLen);
    const urlOf = (s) => te.encode(`https://app.example/cb?code=C&state=`).length;
    const pre = te.encode("https://app.example/cb?code=C&state=");
    const withState = (s) => { const u = new Uint8Array(pre.length + s.length); u.set(pre); u.set(s, pre.length); return u; };
    const ok = cb(h, withState(te.encode(state)), te.encode(pending));
    list.push([name, "ok", ok]);
    const variants = (text) => {
      const b = te.encode(text), vs = [];
      for (let i = 0; i < b.length; i++) for (let v = 0; v < 256; v++) if (v !== b[i]) { const c = b.slice(); c[i] = v; vs.push(c); }
      for (let n = 0; n < b.length; n++) vs.push(b.slice(0, n));
      for (const extra of [...B64URL, "+", "/", "=", "==", "A=", "AA==", "AAA=", ".", "%3D", "\u0000"]) { vs.push(te.encode(text + extra)); vs.push(te.encode(extra + text)); }
      for (let n = b.length - 4; n < b.length; n++) for (const s of [..."AQgw-_+/="]) vs.push(te.encode(text.slice(0, n) + s));
      return vs;
    };
    // The URL's state: in the query, percent-decoding aside, its bytes go to the state's decoder.
    let accepted = 0, other = 0;
    for (const s of variants(state)) {
      const a = cb(h, withState(s), te.encode(pending));
      list.push([name, "s", Buffer.from(s).toString("latin1"), a]);
      if (a[0] === "OK") (accepted++, JSON.stringify(a) !== JSON.stringify(ok) && other++);
    }
    for (const p of variants(pending)) {
      const a = cb(h, withState(te.encode(state)), p);
      list.push([name, "p", Buffer.from(p).toString("latin1"), a]);
      if (a[0] === "OK") (accepted++, JSON.stringify(a) !== JSON.stringify(ok) && other++);
    }
    list.push([name, "accepted", accepted, other]);
  }
  return summary(list.filter((x) => x[1] !== "accepted").map((x) => x.at(-1)), { traps: page.traps, accepted: list.filter((x) => x[1] === "accepted").map((x) => x.slice(2)), ...(answers ? { answers: list } : {}) });
}

/** Strict base64url without padding, as the `base64` crate's URL_SAFE_NO_PAD decodes (canonical tails only):
 * the bytes, or null. */
export function strictB64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

/** A keyless client's callbacks whose pending value is rewritten (it is not authenticated) to hold the same
 * forged state as the URL: every length 0-60 of symbols, the real state with its last symbol each of the 64 and
 * `+ / = .`, each position each byte 0x00-0xff. Answers, and how the accepted ones compare with strict decoding. */
export async function rawForgedState(pkg, answers = false) {
  const page = await rawPage(pkg);
  const { clientOptions, startOptions } = await optionsOf(pkg);
  const w = () => page.w;
  const [at, cap, len] = page.put(te.encode(clientOptions({ provider: "billit", clientId: "c", redirectUri: "https://app.example/cb" })));
  if (w().n(at, cap, len, 0)) throw new Error("client");
  const h = new Float64Array(w().memory.buffer, w().s(), 10)[4];
  const rnd = new Uint8Array(48).map((_, i) => (i * 29 + 5) & 255);
  const [a2, c2, l2] = page.put(te.encode(startOptions({})), rnd);
  if (w().t(h, a2, c2, 48, l2, NOW)) throw new Error("start");
  const st = page.read(false);
  const [url0, stateLen, pendLen] = st[2];
  const state = st[1].slice(url0, url0 + stateLen), pending = st[1].slice(url0 + stateLen, url0 + stateLen + pendLen);
  const body = Buffer.from(pending.slice(3).split(".")[0], "base64url");
  // The body's fields: 8 bytes of time, then 7 fields of a u16 length (0xffff: none) and bytes; the state is the 4th.
  const fields = [];
  let p = 8;
  for (let i = 0; i < 7; i++) {
    const n = body.readUInt16BE(p);
    p += 2;
    if (n === 0xffff) fields.push(null);
    else (fields.push(body.subarray(p, p + n)), (p += n));
  }
  const forge = (s) => {
    const parts = [body.subarray(0, 8)];
    fields.forEach((f, i) => {
      const v = i === 3 ? s : f;
      const l = Buffer.alloc(2);
      l.writeUInt16BE(v === null ? 0xffff : v.length);
      parts.push(l, ...(v === null ? [] : [v]));
    });
    return te.encode("p2." + Buffer.concat(parts).toString("base64url"));
  };
  const pre = te.encode("https://app.example/cb?code=C&state=");
  const cb = (s) => {
    const pend = forge(Buffer.from(s));
    const buf = new Uint8Array(pre.length + s.length + pend.length);
    buf.set(pre); buf.set(s, pre.length); buf.set(pend, pre.length + s.length);
    const [a, c] = page.put(buf);
    try {
      return w().c(h, a, c, pre.length + s.length, pend.length, NOW) ? page.read(true) : page.read(false);
    } catch (e) {
      page.traps++;
      page.fresh();
      return ["TRAP", String(e)];
    }
  };
  const vs = [];
  for (let n = 0; n <= 60; n++) vs.push(state.slice(0, n), (state + state).slice(0, n).replace(/./g, "A"));
  for (const c of B64URL + "+/=.") vs.push(state.slice(0, -1) + c, state.slice(0, -2) + c, state + c, state + "=" + c);
  const b = te.encode(state);
  const variants = vs.map((v) => te.encode(v));
  for (let i = 0; i < b.length; i++) for (let v = 0; v < 256; v++) if (v !== b[i]) { const c = b.slice(); c[i] = v; variants.push(c); }
  const list = variants.map((s) => [Buffer.from(s).toString("latin1"), cb(s)]);
  // accepted against strict decoding (a state the crate refuses but the page takes)
  let acceptedStrict = 0, acceptedLoose = 0;
  for (const [s, a] of list) if (a[0] === "OK") strictB64url(s) ? acceptedStrict++ : acceptedLoose++;
  return summary(list.map(([, a]) => a), { traps: page.traps, acceptedStrict, acceptedLoose, ...(answers ? { answers: list } : {}) });
}

// scripts/merge-data.mjs on modules it must join and ones it must refuse.
const uleb = (v) => { const o = []; do { o.push((v & 127) | (v > 127 ? 128 : 0)); v = Math.floor(v / 128); } while (v); return o; };
const sleb = (v) => { v |= 0; const o = []; for (;;) { const b = v & 127; v >>= 7; if ((v === 0 && !(b & 64)) || (v === -1 && b & 64)) return [...o, b]; o.push(b | 128); } };
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
/** A module of one memory (`pages`) and these data segments: [address, bytes] (active, i32.const) or raw bytes. */
export function moduleOf(segments, { pages = 1, extra = [], count = false, imports = [], dataExtra = [] } = {}) {
  const data = [...uleb(segments.length)];
  for (const s of segments) data.push(...(Array.isArray(s[1]) ? [0, 0x41, ...sleb(s[0]), 0x0b, ...uleb(s[1].length), ...s[1]] : s));
  return Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...imports, ...section(5, [1, 0, ...uleb(pages)]), ...(count ? section(12, uleb(segments.length)) : []),
    ...section(11, [...data, ...dataExtra]), ...extra]);
}
/** The data segments of a module: [{address, length}] (active, i32.const only). */
export function segmentsOf(bytes) {
  const b = Buffer.from(bytes);
  let at = 8;
  const read = () => { let v = 0, s = 0, x; do { x = b[at++]; v += (x & 127) * 2 ** s; s += 7; } while (x & 128); return v; };
  const readS = () => { let v = 0, s = 0, x; do { x = b[at++]; v |= (x & 127) << s; s += 7; } while (x & 128); if (s < 32 && x & 64) v |= -1 << s; return v >>> 0; };
  while (at < b.length) {
    const id = b[at++], size = read(), end = at + size;
    if (id !== 11) { at = end; continue; }
    const n = read(), out = [];
    for (let i = 0; i < n; i++) { at++; at++; const address = readS(); at++; const length = read(); out.push({ address, bytes: b.subarray(at, at + length) }); at += length; }
    return out;
  }
  return [];
}
/** The memory image the segments write, from `from` to `to`. */
export function imageOf(bytes, from, to) {
  const out = new Uint8Array(to - from);
  // (a segment outside from..to is left out: a crafted module's address near 2^32)
  for (const s of segmentsOf(bytes)) if (s.address >= from && s.address < to) out.set(s.bytes.subarray(0, to - s.address), s.address - from);
  return out;
}
/** Splits every segment of a module at each run of `zeros` or more zero bytes (what memory-packing does). */
export function splitAtZeros(bytes, zeros = 2) {
  const segs = [];
  for (const { address, bytes: d } of segmentsOf(bytes)) {
    let i = 0;
    while (i < d.length) {
      while (i < d.length && d[i] === 0) i++;
      let j = i;
      for (;;) {
        while (j < d.length && d[j] !== 0) j++;
        let k = j;
        while (k < d.length && d[k] === 0) k++;
        if (k - j >= zeros || k === d.length) break;
        j = k;
      }
      if (j > i) segs.push([address + i, Array.from(d.subarray(i, j))]);
      i = j;
    }
  }
  // the rest of the module with the data section replaced (and a data count section updated)
  const b = Buffer.from(bytes), parts = [b.subarray(0, 8)];
  let at = 8;
  const read = () => { let v = 0, s = 0, x; do { x = b[at++]; v += (x & 127) * 2 ** s; s += 7; } while (x & 128); return v; };
  while (at < b.length) {
    const start = at, id = b[at++], size = read(), end = at + size;
    if (id === 11) {
      const data = [...uleb(segs.length)];
      for (const [a, d] of segs) data.push(0, 0x41, ...sleb(a), 0x0b, ...uleb(d.length), ...d);
      parts.push(Uint8Array.from(section(11, data)));
    } else if (id === 12) parts.push(Uint8Array.from(section(12, uleb(segs.length))));
    else parts.push(b.subarray(start, end));
    at = end;
  }
  return { bytes: new Uint8Array(Buffer.concat(parts)), count: segs.length };
}

/** The public constructors of both builds (node.js, page-node.js) with stateMaxAge and timeoutMs at the edges
 * options.js lets through (whole numbers below 2^64), then a start: its flowExpiresAt (the clock fixed). */
export async function publicNumbers(pkg, answers = false) {
  Date.now = () => NOW;
  const nums = [0, 1, 599, 600, 86399, 86400, 86401, 299999, 300000, 300001, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 32 + 600,
    2 ** 32 + 86400, 2 ** 32 + 300000, 2 ** 33 + 10000, 2 ** 53, 2 ** 63, 2 ** 64 - 2048, 2 ** 64, 1e20, -1, 1.5, NaN, "600", null];
  const list = [];
  for (const entry of ["node.js", "page-node.js"]) {
    const { OAuthClient } = await import(pkg + entry);
    for (const field of ["stateMaxAge", "timeoutMs"]) for (const v of nums) {
      let a;
      try {
        const c = new OAuthClient({ provider: "billit", clientId: "c", redirectUri: "https://app.example/cb", [field]: v });
        const f = c.startAuthorization({});
        a = ["OK", f.flowExpiresAt, entry === "node.js" ? c.timeoutMs : null];
      } catch (e) {
        a = ["ERR", e.code, e.message];
      }
      list.push([entry, field, String(v), a]);
    }
  }
  return summary(list.map((x) => x[3]), answers ? { answers: list } : {});
}

/** scripts/merge-data.mjs (this checkout's) on: the package's two modules split again at every run of 1 and of 8
 * zeros (memory-packing's cuts, and more), and crafted modules it must join or refuse. Answers, for each, the exit
 * status, whether the file was left unchanged, whether the memory image its segments write is the input's, the
 * segments after, and the message. */
export async function mergeData(pkg) {
  const { spawnSync } = await import("node:child_process");
  const { writeFileSync, mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const script = new URL("../../scripts/merge-data.mjs", import.meta.url).pathname;
  const dir = mkdtempSync(tmpdir() + "/review129-merge-");
  const merge = (bytes) => {
    const f = dir + "/m.wasm";
    writeFileSync(f, bytes);
    const r = spawnSync(process.execPath, [script, f], { encoding: "utf8" });
    const after = new Uint8Array(readFileSync(f));
    let valid = true;
    try { new WebAssembly.Module(bytes); } catch { valid = false; }
    const out = { valid, status: r.status, unchanged: Buffer.compare(Buffer.from(after), Buffer.from(bytes)) === 0, segments: segmentsOf(after).length, message: (r.stdout + r.stderr).trim().replace(/^[^:]*: /, "") };
    if (r.status === 0) {
      const segs = segmentsOf(bytes), hi = Math.min(1 << 21, Math.max(0, ...segs.map((x) => x.address + x.bytes.length)) + 2048);
      out.sameImage = Buffer.compare(Buffer.from(imageOf(bytes, 0, hi)), Buffer.from(imageOf(after, 0, hi))) === 0;
    }
    return out;
  };
  const out = {};
  for (const f of ["partner_oauth_bg.wasm", "page/partner_oauth_bg.wasm"]) {
    const shipped = new Uint8Array(readFileSync(new URL(f, pkg)));
    out[f] = { shipped: segmentsOf(shipped).length };
    for (const z of [1, 8]) {
      const split = splitAtZeros(shipped, z);
      const r = merge(split.bytes);
      const hi = Math.max(...segmentsOf(shipped).map((x) => x.address + x.bytes.length));
      r.sameAsShipped = Buffer.compare(Buffer.from(imageOf(shipped, 0, hi)), Buffer.from(imageOf(new Uint8Array(readFileSync(dir + "/m.wasm")), 0, hi))) === 0;
      out[f][`split${z}`] = { split: split.count, ...r };
    }
  }
  const B = (n, v = 7) => Array(n).fill(v);
  const globImport = [2, 8, 1, 1, 0x6d, 1, 0x67, 3, 0x7f, 0];
  const cases = {
    joinBasic: moduleOf([[16, B(4)], [100, B(4, 9)]]),
    joinUnordered: moduleOf([[100, B(4, 9)], [16, B(4)], [3000, B(2)]]),
    gap1023: moduleOf([[0, B(1)], [1024, B(1)]]),
    gap1024: moduleOf([[0, B(1)], [1025, B(1)]]),
    adjacent: moduleOf([[8, B(3)], [11, B(3)]]),
    emptyFirst: moduleOf([[8, []], [8, B(3)]]),
    emptyAfter: moduleOf([[8, B(3)], [8, []]]),
    withCount: moduleOf([[8, B(3)], [20, B(3)]], { count: true }),
    negative: moduleOf([[65536 - 4, B(4)], [-8, B(2)]], { pages: 1 }),
    atTop: moduleOf([[65536 - 4, B(4)], [65536 - 100, B(2)]]),
    overlap: moduleOf([[8, B(8)], [12, B(8, 1)]]),
    same: moduleOf([[8, B(4)], [8, B(4, 1)]]),
    passive: moduleOf([[1, 3, 1, 2, 3], [8, B(3)]], { count: true }),
    explicitMemory: moduleOf([[2, 0, 0x41, 8, 0x0b, 3, 1, 2, 3], [16, B(3)]]),
    globalAddress: moduleOf([[0, 0x23, 0, 0x0b, 3, 1, 2, 3], [16, B(3)]], { imports: globImport }),
    customSection: moduleOf([[8, B(3)], [20, B(3)]], { extra: [0, 5, 4, 0x6e, 0x61, 0x6d, 0x65] }),
    twoInstructions: moduleOf([[0, 0x41, 8, 0x41, 8, 0x6a, 0x0b, 3, 1, 2, 3], [40, B(3)]]),
    trailing: moduleOf([[8, B(3)], [20, B(3)]], { dataExtra: [0xaa] }),
    address6Bytes: moduleOf([[0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b, 1, 1], [16, B(3)]]),
    // an i32.const of 5 bytes whose last holds bits past 32 (an invalid module): read as 0 (finding M)
    address5BytesPast32: moduleOf([[0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x10, 0x0b, 1, 1], [16, B(3)]]),
  };
  for (const [name, m] of Object.entries(cases)) out[name] = merge(m);
  rmSync(dir, { recursive: true, force: true });
  return out;
}

/** The page's encoder against Node's base64url (the `base64` crate's URL_SAFE_NO_PAD answers the same): `v` (a PKCE
 * verifier from N random bytes) over every byte value at each position of 32 bytes (8,192) and 4,000 xorshift
 * arrays of each length the export takes, and `h` (the challenge, SHA-256 then base64url) of each verifier. */
export async function rawEncode(pkg) {
  const page = await rawPage(pkg);
  const { createHash } = await import("node:crypto");
  const w = () => page.w;
  let r = 129, mismatches = 0, n = 0, refused = {};
  const next = () => { r ^= r << 13; r >>>= 0; r ^= r >>> 17; r ^= r << 5; r >>>= 0; return r & 255; };
  const inputs = [];
  for (let i = 0; i < 32; i++) for (let v = 0; v < 256; v++) { const b = new Uint8Array(32).fill(i & 1 ? 0xff : 0); b[i] = v; inputs.push(b); }
  for (const len of [0, 1, 2, 3, 31, 32, 33, 47, 48, 64, 95, 96, 97]) for (let k = 0; k < 300; k++) inputs.push(Uint8Array.from({ length: len }, next));
  for (const rnd of inputs) {
    n++;
    const [at, cap] = page.put(new Uint8Array(0), rnd);
    const failed = w().v(at, cap, rnd.length);
    const a = page.read(failed);
    if (failed) { refused[rnd.length] = a[1]; continue; }
    const expect = Buffer.from(rnd).toString("base64url");
    if (a[1] !== expect) { mismatches++; continue; }
    const [a2, c2, l2] = page.put(te.encode(a[1]));
    const f2 = w().h(a2, c2, l2);
    const ch = page.read(f2);
    if (f2 || ch[1] !== createHash("sha256").update(a[1]).digest("base64url")) mismatches++;
  }
  return { n, mismatches, refused, traps: page.traps };
}

/** Where a state key and a client secret are in the page's memory after `n` (the record's copies), after a start,
 * and after `f` frees the client: counts of each text found in the whole memory. */
export async function rawResidue(pkg) {
  const page = await rawPage(pkg);
  const { clientOptions, startOptions } = await optionsOf(pkg);
  const w = () => page.w;
  const key = "Z".repeat(40), key2 = "Y".repeat(33), secret = "S3CRET-" + "q".repeat(20);
  const count = (text) => { const mem = Buffer.from(w().memory.buffer), needle = Buffer.from(text); let n = 0, at = -1; while ((at = mem.indexOf(needle, at + 1)) >= 0) n++; return n; };
  const counts = () => [count(key), count(key2), count(secret)];
  const out = {};
  const [at, cap, len] = page.put(te.encode(clientOptions({ provider: "billit", clientId: "c", redirectUri: "https://app.example/cb", stateKey: [key, key2], clientSecret: secret, dangerouslyAllowSecretInBrowser: true })));
  const failed = w().n(at, cap, len, 0);
  if (failed) return { error: page.read(true) };
  const h = new Float64Array(w().memory.buffer, w().s(), 10)[4];
  page.read(false);
  out.afterNew = counts();
  const [a2, c2, l2] = page.put(te.encode(startOptions({ payload: "p" })), new Uint8Array(48).fill(9));
  page.read(w().t(h, a2, c2, 48, l2, NOW));
  out.afterStart = counts();
  w().f(h);
  out.afterFree = counts();
  return out;
}
