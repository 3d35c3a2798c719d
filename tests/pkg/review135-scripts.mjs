// Review 135's scripts (tests/pkg/review135.test.mjs): helpers st51 (encoding.rs: `push_be_u64` by a loop,
// `encode_bits_with` over `from..len + 1`, `b64url_tail` growing by `n.div_ceil(3)`) and rr51 (raw.rs' page module:
// `set_slots` with the four words as arguments and `from_fn`, `answer` out of line). Each runs in a child Node process
// on a package URL `pkg` with the random bytes (xorshift) and the clock fixed; run by hand against d6f1564's
// (/tmp/review128-old/pkg) and 4827dc4's packages they are the old/new differential oracle.
import { createHash, createHmac } from "node:crypto";
import { freeze, hash, midstate, outcome, codeOf, pendingFields } from "./frozen.mjs";
import { loadWithExports as load } from "./stack.mjs";

const redirectUri = "https://app.example/cb";
const endpoints = { authorize: "https://as.example/a", token: "https://as.example/t" };
const CLOCKS = [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 1765000000000];

/** Starts and their callbacks at the clock's edges, with payloads, redirect URIs and client ids of every length mod
 * 3 (base64url tails 0, 1, 2), keyless and keyed (1..8 keys, 32..100 bytes): each answer, parsed fields and the
 * callback's answer; hashed. */
export async function starts(pkg, file = "page-node.js", seed = 1351) {
  let now = 1765000000000;
  const { next } = freeze(seed);
  Date.now = () => now;
  const { m } = await load(pkg, file);
  const out = [], tally = {};
  const keySets = [undefined, "k".repeat(32), ["a".repeat(33), "b".repeat(34)], Array.from({ length: 8 }, (_, i) => String.fromCharCode(65 + i).repeat(32 + i * 9)), "z".repeat(64), "y".repeat(65), "x".repeat(100)];
  for (const clock of CLOCKS) {
    now = clock;
    for (const stateKey of keySets) {
      for (const ru of [0, 1, 2]) {
        const c = new m.OAuthClient({ provider: "custom", clientId: "c".repeat(3 + ru), redirectUri: redirectUri + "/" + "r".repeat(ru), endpoints, ...(stateKey ? { stateKey } : {}) });
        for (let len = 0; len < 9; len++) {
          const payload = len === 8 ? "p".repeat(2046 + (next() % 3)) : "é✓p".slice(0, len % 3) + "q".repeat(len);
          const r = outcome(() => c.startAuthorization({ payload, scopes: len % 2 ? ["s".repeat(len)] : undefined }));
          let back = null, pf = null;
          if (r && r.state) {
            pf = pendingFields(r.pending);
            back = outcome(() => c.parseCallback(`${redirectUri}/${"r".repeat(ru)}?code=C${len}&state=${encodeURIComponent(r.state)}`, r.pending));
            // The clock moved on by one ms and by stateMaxAge.
            now += 1;
            const later = outcome(() => c.parseCallback(`${redirectUri}/${"r".repeat(ru)}?code=D&state=${encodeURIComponent(r.state)}`, r.pending));
            now += 86400001;
            const stale = outcome(() => c.parseCallback(`${redirectUri}/${"r".repeat(ru)}?code=D&state=${encodeURIComponent(r.state)}`, r.pending));
            now = clock;
            back = [back, later, stale];
          }
          out.push([clock, r, pf && pf.created.toString(), back]);
          // Every base64url text the start wrote is canonical (no padding, zero tail bits) and its creation time (seconds,
          // big-endian, in the pending value and the state's body) is the clock's (push_be_u64).
          if (r && r.state) {
            const texts = [...r.state.split("."), ...r.pending.slice(3).split("."), pf.fields[5], new URL(r.url).searchParams.get("code_challenge")].filter((t) => t != null);
            for (const t of texts) if (Buffer.from(t, "base64url").toString("base64url") !== t) tally.nonCanonical = (tally.nonCanonical ?? 0) + 1;
            const secs = BigInt(Math.floor(clock / 1000));
            if (pf.created !== secs || Buffer.from(r.state.split(".")[0], "base64url").readBigUInt64BE(2) !== secs) tally.badCreated = (tally.badCreated ?? 0) + 1;
            const ch = new URL(r.url).searchParams.get("code_challenge");
            if (ch && ch !== createHash("sha256").update(pf.fields[5]).digest("base64url")) tally.badChallenge = (tally.badChallenge ?? 0) + 1;
          }
          const k = codeOf(r) + ":" + (back ? back.map(codeOf).join("/") : "-");
          tally[k] = (tally[k] ?? 0) + 1;
        }
        c.free();
      }
    }
  }
  return { n: out.length, sha: hash(out), tally };
}

/** The page's other exports' answers (the slots the glue reads): PKCE, getters, errors of every shape. */
export async function slots(pkg, file = "page-node.js") {
  freeze(1352);
  const { m } = await load(pkg, file);
  const out = [];
  let wrong = 0;
  for (let n = 40; n < 132; n++) {
    const v = "v-._~".repeat(30).slice(0, n);
    const r = outcome(() => m.pkceChallenge(v));
    out.push(r);
    if (n >= 43 && n <= 128 && r !== createHash("sha256").update(v).digest("base64url")) wrong++;
  }
  for (let i = 0; i < 20; i++) out.push(outcome(() => m.newPkceVerifier()));
  const c = new m.OAuthClient({ provider: "payout", clientId: "cid", redirectUri, environment: "sandbox" });
  out.push(outcome(() => [c.provider, c.environment]));
  for (const bad of [1, "", "x", redirectUri + "?code=a", redirectUri + "?error=access_denied&error_description=" + "d".repeat(300)]) out.push(outcome(() => c.parseCallback(bad, "p2.AAAA")));
  c.free();
  out.push(outcome(() => c.startAuthorization({})));
  return { n: out.length, sha: hash(out), wrong };
}

/** A key's HMAC secrets: the key (hashed when over 64 bytes), its ipad and opad blocks' first 16 bytes, SHA-256's
 * state after each (both byte orders, first 16 bytes). */
function derived(key) {
  let kb = Buffer.from(key);
  if (kb.length > 64) kb = createHash("sha256").update(kb).digest();
  const k = Buffer.alloc(64);
  kb.copy(k);
  const ipad = Buffer.from(k.map((x) => x ^ 0x36)), opad = Buffer.from(k.map((x) => x ^ 0x5c));
  const i = midstate(ipad), o = midstate(opad);
  const s = (b) => b.subarray(0, 16);
  return { key: s(Buffer.from(key)), hashedKey: s(kb), ipad: s(ipad), opad: s(opad), innerBE: s(i.be), innerLE: s(i.le), outerBE: s(o.be), outerLE: s(o.le) };
}

/** Memory residue: for key lengths 32..100 and counts 1..8 (each key distinct, random-looking), a client makes a start,
 * its callback, a refused callback (wrong state), a forged-seal callback; after each export and after free(): every
 * copy of each secret (keys' 16-byte prefixes and HMAC pads and midstates, the code, state, verifier, pending value,
 * the seal a forged pending value should have had) in the whole memory, split below / above the pointer's top. */
export async function residue(pkg, lengths, counts, seed = 1353) {
  const { next } = freeze(seed);
  const { m, raw } = await load(pkg, "page-node.js");
  const top = raw.g.value;
  const rnd = (n) => { let t = ""; const al = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&*+-/"; for (let i = 0; i < n; i++) t += al[next() % al.length]; return t; };
  const report = {};
  let total = 0;
  for (const len of lengths) for (const count of counts) {
    const keys = Array.from({ length: count }, () => rnd(len));
    const needles = {};
    keys.forEach((k, i) => { for (const [n, b] of Object.entries(derived(k))) needles[`k${i}:${n}`] = b; });
    const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey: count === 1 && len % 2 ? keys[0] : keys });
    const code = "CODE135" + rnd(24).replace(/[^A-Za-z0-9]/g, "Q");
    const f = c.startAuthorization({ payload: "PAY135" + rnd(len % 7) });
    const pf = pendingFields(f.pending);
    Object.assign(needles, { code: Buffer.from(code), state: Buffer.from(f.state.slice(0, 24)), stateRaw: Buffer.from(f.state.split(".")[0].slice(0, 24), "base64url").subarray(2, 16), verifier: Buffer.from(pf.fields[5].slice(0, 24)), verifierRaw: Buffer.from(pf.fields[5], "base64url").subarray(0, 16), pending: Buffer.from(f.pending.slice(3, 30)) });
    const seals = [];
    const scan = (stage) => {
      const mem = Buffer.from(raw.memory.buffer);
      for (const [name, b] of Object.entries(needles)) {
        let i = -1;
        while ((i = mem.indexOf(b, i + 1)) >= 0) {
          const k = `${stage} ${name.replace(/^k\d+:/, "k:")} ${i < top ? "stack" : "heap"}`;
          report[k] = (report[k] ?? 0) + 1;
        }
      }
    };
    scan("start");
    const ok = outcome(() => c.parseCallback(`${redirectUri}?code=${code}&state=${encodeURIComponent(f.state)}`, f.pending));
    if (ok.code !== code) report.bad = (report.bad ?? 0) + 1;
    scan("callback");
    outcome(() => c.parseCallback(`${redirectUri}?code=${code}&state=${encodeURIComponent(f.state)}x`, f.pending));
    scan("refused");
    const body = f.pending.split(".")[1];
    const right = createHmac("sha256", keys[0]).update("partner-oauth pending v1\0").update("p2." + body).digest();
    const forgedBody = Buffer.from(body, "base64url");
    forgedBody[forgedBody.length - 1] ^= 1;
    const forged = "p2." + forgedBody.toString("base64url");
    needles.forgedSeal = createHmac("sha256", keys[0]).update("partner-oauth pending v1\0").update(forged).digest().subarray(0, 16);
    outcome(() => c.parseCallback(`${redirectUri}?code=${code}&state=${encodeURIComponent(f.state)}`, forged + "." + Buffer.alloc(32).toString("base64url")));
    scan("forged");
    c.free();
    scan("free");
    // Wipe them for the next client's count: a fresh client's residue is its own.
    total++;
  }
  return { total, report };
}

/** free() after each kind of last call (the frames above the wipe's differ by the caller before it): the client's
 * keys (lengths 32..100, counts 1..8) and their HMAC pads and midstates, the verifier, code and state, counted in the
 * whole memory after free(); and the keys' copies after a refused constructor (a short or a ninth key), which has no
 * free(). */
export async function freeAfter(pkg, seed = 1354) {
  const { next } = freeze(seed);
  const { m, raw } = await load(pkg, "page-node.js");
  const top = raw.g.value;
  const rnd = (n) => { let t = ""; const al = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"; for (let i = 0; i < n; i++) t += al[next() % al.length]; return t; };
  const found = {};
  const count = (stage, needles) => {
    const mem = Buffer.from(raw.memory.buffer);
    for (const [name, b] of Object.entries(needles)) {
      let i = -1;
      while ((i = mem.indexOf(b, i + 1)) >= 0) { const k = `${stage} ${name} ${i < top ? "stack" : "heap"}`; found[k] = (found[k] ?? 0) + 1; }
    }
  };
  const lasts = ["ctor", "start", "callback", "refused", "forged", "pkce", "provider", "startError", "callbackError", "twoClients"];
  let n = 0;
  for (const len of [32, 33, 34, 48, 63, 64, 65, 96, 100]) for (const keyCount of [1, 2, 4, 8]) for (const last of lasts) {
    const keys = Array.from({ length: keyCount }, () => rnd(len));
    const needles = {};
    keys.forEach((k, i) => { for (const [nm, b] of Object.entries(derived(k))) needles[`k:${nm}`] = needles[`k:${nm}`] ? needles[`k:${nm}`] : b; });
    const all = keys.flatMap((k) => Object.entries(derived(k)));
    const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey: keys });
    const other = last === "twoClients" ? new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints }) : null;
    let f = null;
    if (last !== "ctor") f = c.startAuthorization({ payload: "P" + rnd(len % 5) });
    const code = "CODE135" + rnd(20);
    if (f) {
      const pf = pendingFields(f.pending);
      all.push(["verifier", Buffer.from(pf.fields[5].slice(0, 24))], ["verifierRaw", Buffer.from(pf.fields[5], "base64url").subarray(0, 16)], ["code", Buffer.from(code)], ["state", Buffer.from(f.state.slice(0, 24))], ["pending", Buffer.from(f.pending.slice(3, 30))]);
    }
    const q = (x) => `${redirectUri}?${x}`;
    if (last === "callback") c.parseCallback(q(`code=${code}&state=${f.state}`), f.pending);
    if (last === "refused") outcome(() => c.parseCallback(q(`code=${code}&state=${f.state}x`), f.pending));
    if (last === "forged") outcome(() => c.parseCallback(q(`code=${code}&state=${f.state}`), f.pending.split(".").slice(0, 2).join(".") + "." + Buffer.alloc(32).toString("base64url")));
    if (last === "pkce") m.pkceChallenge(m.newPkceVerifier());
    if (last === "provider") void c.provider;
    if (last === "startError") outcome(() => c.startAuthorization({ payload: "p".repeat(2049) }));
    if (last === "callbackError") outcome(() => c.parseCallback(q(`error=access_denied&state=${f.state}`), f.pending));
    if (last === "twoClients") { const g = other.startAuthorization({}); outcome(() => other.parseCallback(q(`code=x&state=${g.state}`), g.pending)); }
    c.free();
    if (other) other.free();
    const needleMap = {};
    for (const [nm, b] of all) needleMap[nm + "#" + Object.keys(needleMap).length] = b;
    const mem = Buffer.from(raw.memory.buffer);
    for (const [nm, b] of Object.entries(needleMap)) {
      let i = -1;
      while ((i = mem.indexOf(b, i + 1)) >= 0) { const k = `free:${last} ${nm.split("#")[0]} ${i < top ? "stack" : "heap"}`; found[k] = (found[k] ?? 0) + 1; }
    }
    n++;
  }
  // Refused constructors: keys given, none kept.
  for (const len of [32, 40, 64, 100]) for (const bad of ["short", "nine", "dom"]) {
    const keys = Array.from({ length: bad === "nine" ? 9 : 2 }, () => rnd(len));
    const stateKey = bad === "short" ? [...keys, "s".repeat(31)] : keys;
    if (bad === "dom") globalThis.document = {};
    const r = outcome(() => new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey }));
    delete globalThis.document;
    const mem = Buffer.from(raw.memory.buffer);
    for (const k of keys) for (const [nm, b] of Object.entries(derived(k))) {
      let i = -1;
      while ((i = mem.indexOf(b, i + 1)) >= 0) { const key = `ctorRefused:${bad}:${r[1]} ${nm} ${i < top ? "stack" : "heap"}`; found[key] = (found[key] ?? 0) + 1; }
    }
    n++;
  }
  return { n, found };
}

/** Where (bytes below the pointer's top) a one-key page client's opad block lies after its start, its callback, a
 * later pkceChallenge and free(). */
export async function opadOffsets(pkg) {
  freeze(7);
  const { m, raw } = await load(pkg, "page-node.js");
  const top = raw.g.value;
  const key = "Zq8!rT2#wX9@mN4$bV7%cL1^dK6&fH3*";
  const opad = Buffer.from(key).map((x) => x ^ 0x5c).subarray(0, 16);
  const where = () => { const b = Buffer.from(raw.memory.buffer); const o = []; let i = -1; while ((i = b.indexOf(opad, i + 1)) >= 0) o.push(top - i); return o; };
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey: key });
  const f = c.startAuthorization({});
  const afterStart = where();
  c.parseCallback(`${redirectUri}?code=x&state=${f.state}`, f.pending);
  const afterCallback = where();
  m.pkceChallenge("v".repeat(43));
  const afterPkce = where();
  c.free();
  return { afterStart, afterCallback, afterPkce, afterFree: where() };
}
