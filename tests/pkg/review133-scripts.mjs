// Review 133's scripts (tests/pkg/review133.test.mjs): helper sh50's `ClientInput` numbers (`stateMaxAge` and
// `timeoutMs` as plain u64s, their defaults put in by `record::read_client` and `Client::new`, `timeout_in_range`).
// Each runs in a child process on a package URL `pkg` with the random bytes (xorshift) and clock fixed; run by hand
// against d6f1564's (/tmp/review128-old/pkg) and 8da8cf7's packages they are the old/new differential oracle.
import { codeOf, freeze, hash, outcome, outcomeAsync, pendingFields } from "./frozen.mjs";

const T = 1765000000000;
const ABSENT = Symbol("absent");

/** Every number the brief names, as [label, value]; ABSENT: no key at all. */
export const VALUES = [
  ["absent", ABSENT], ["undefined", undefined], ["null", null], ["0", 0], ["-0", -0], ["1", 1], ["2", 2],
  ["599", 599], ["600", 600], ["601", 601], ["9999", 9999], ["10000", 10000], ["10001", 10001],
  ["86399", 86399], ["86400", 86400], ["86401", 86401], ["299999", 299999], ["300000", 300000], ["300001", 300001],
  ["2^31-1", 2 ** 31 - 1], ["2^31", 2 ** 31], ["2^32-2", 2 ** 32 - 2], ["2^32-1", 2 ** 32 - 1], ["2^32", 2 ** 32], ["2^32+1", 2 ** 32 + 1],
  ["2^32+600", 2 ** 32 + 600], ["2^32+86400", 2 ** 32 + 86400], ["2^53-1", 2 ** 53 - 1], ["2^53", 2 ** 53], ["2^53+2", 2 ** 53 + 2],
  ["2^63", 2 ** 63], ["2^64-2048", 18446744073709549568], ["2^64-1", 2 ** 64 - 1], ["2^64", 2 ** 64], ["2^65", 2 ** 65],
  ["1e20", 1e20], ["1e21", 1e21], ["1e300", 1e300], ["MAX_VALUE", Number.MAX_VALUE], ["-1", -1], ["-600", -600], ["-2^64", -(2 ** 64)],
  ["0.5", 0.5], ["1.5", 1.5], ["600.5", 600.5], ["86400.5", 86400.5], ["299999.9", 299999.9], ["1e-7", 1e-7], ["MIN_VALUE", Number.MIN_VALUE],
  ["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity], ['"600"', "600"], ['""', ""], ['"abc"', "abc"], ['" 600"', " 600"],
  ['"1e3"', "1e3"], ["9x400", "9".repeat(400)], ["1+0x400", "1" + "0".repeat(400)], ["true", true], ["false", false], ["[]", []],
  ["[600]", [600]], ["{}", {}], ["600n", 600n], ["Number(600)", new Number(600)], ["{valueOf}", { valueOf: () => 600 }],
];
const LABELS = VALUES.map(([label]) => label);
const SMALL = ["absent", "null", "0", "1", "600", "86400", "86401", "300000", "300001", "2^32+600", "-1", "1.5", '"600"'];
const valueOf = (label) => VALUES.find(([l]) => l === label)[1];

const base = () => ({
  provider: "custom",
  clientId: "cid",
  redirectUri: "https://app.example/cb",
  endpoints: { authorize: "https://as.example/a", token: "https://as.example/t" },
});
const withField = (o, key, value) => {
  if (value !== ABSENT) o[key] = value;
  return o;
};
/** The max age a client answers with (its accepted value, or the default). */
const effective = (v) => (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 86400 ? v : 600);
// Callback clocks after the start at T (ms): the flow lives max to max + 1 s (whole seconds, state::expires_at).
const ages = (max) => [-1000, (max - 1) * 1000, max * 1000, max * 1000 + 999, (max + 1) * 1000, (max + 1) * 1000 + 1, (max + 2) * 1000];
const TOKEN = JSON.stringify({ access_token: "at", token_type: "bearer", refresh_token: "rt", expires_in: 3600 });

/** A recording `AbortSignal.timeout`: the ms io.js asked for, its signal the platform's. */
function recordTimeouts() {
  const log = [];
  const real = AbortSignal.timeout;
  AbortSignal.timeout = (ms) => (log.push(ms), real.call(AbortSignal, ms));
  return log;
}

/** One client's answers: constructor, timeoutMs (full), start, callbacks at the edges of its max age in this build
 * and the other, and (full) the ms its exchange's AbortSignal was given. */
async function client(m, other, full, otherFull, o, max, timeouts) {
  const row = [];
  let c;
  row.push(outcome(() => ((c = new m.OAuthClient(o)), "ok")));
  if (!c) return row;
  if (full) row.push(outcome(() => c.timeoutMs));
  let s;
  row.push(outcome(() => { s = c.startAuthorization({ scopes: ["a"] }); return [s.url, s.state, String(s.pending), s.flowId, s.flowExpiresAt]; }));
  if (s) {
    const f = pendingFields(s.pending);
    row.push(f && [String(f.created), f.fields]);
    const url = `https://app.example/cb?code=c&state=${s.state}`;
    // The same options in the other build: its answer to this build's flow (its own max age, from its own options).
    let d;
    try {
      d = new other.OAuthClient(o);
    } catch {}
    for (const age of ages(max)) {
      Date.now = () => T + age;
      row.push(outcome(() => { const r = c.parseCallback(url, s.pending); return [r.code, r.flowId, r.flowExpiresAt]; }));
      if (d) row.push(outcome(() => { const r = d.parseCallback(url, s.pending); return [r.code, r.flowId, r.flowExpiresAt]; }));
    }
    Date.now = () => T;
    d?.free();
    // The exchange (a full client with this client's options): the timeout io.js set on its fetch.
    const x = full ? m : otherFull ? other : null;
    if (x) {
      const fetch = async () => new Response(TOKEN, { status: 200, headers: { "content-type": "application/json" } });
      let e;
      try {
        e = new x.OAuthClient({ ...o, clientSecret: "sec", fetch });
      } catch {}
      if (e) {
        timeouts.length = 0;
        Date.now = () => T + max * 1000;
        const back = outcome(() => e.parseCallback(url, s.pending));
        row.push(codeOf(back));
        if (codeOf(back) === "ok") {
          row.push(await outcomeAsync(async () => { const t = await e.exchangeCode(e.parseCallback(url, s.pending), s.pending); return [t.accessToken, t.expiresAt]; }));
          row.push([...timeouts]);
        }
        Date.now = () => T;
        e.free();
      }
    }
  }
  c.free();
  return row;
}

/** 1: each value of `stateMaxAge`, then of `timeoutMs` (the other absent), then the two together (a few values, with a
 * good and a refused redirect URI): the constructor, start, callbacks at the edges and the exchange's timeout. */
export async function numbers(pkg, entry, dump = false) {
  freeze(1331);
  const timeouts = recordTimeouts();
  const m = await import(pkg + entry);
  const full = entry === "node.js";
  const other = await import(pkg + (full ? "page-node.js" : "node.js"));
  const out = [];
  for (const key of ["stateMaxAge", "timeoutMs"]) for (const [label, value] of VALUES) {
    const o = withField(base(), key, value);
    const max = key === "stateMaxAge" ? effective(value) : 600;
    out.push([key, label, ...(await client(m, other, full, !full, o, max, timeouts))]);
  }
  for (const a of SMALL) for (const b of SMALL) for (const uri of ["https://app.example/cb", "ftp://x"]) {
    const o = withField(withField({ ...base(), redirectUri: uri }, "stateMaxAge", valueOf(a)), "timeoutMs", valueOf(b));
    out.push(["both", a, b, uri, ...(await client(m, other, full, !full, o, effective(valueOf(a)), timeouts))]);
  }
  // Per label: the constructor's code for stateMaxAge and timeoutMs alone.
  const ctor = {};
  for (const r of out) if (r[0] !== "both") (ctor[r[1]] ??= {})[r[0]] = codeOf(r[2]);
  const tally = {};
  for (const r of out) { const k = codeOf(r[r[0] === "both" ? 4 : 2]); tally[k] = (tally[k] ?? 0) + 1; }
  if (dump) return out;
  return { n: out.length, sha: hash(out), tally, ctor: Object.fromEntries(LABELS.map((l) => [l, `${ctor[l].stateMaxAge} ${ctor[l].timeoutMs}`])) };
}

/** 2: the callback's answers at the edges for a few max ages, per build (this build's own flows): which ages pass. */
export async function edges(pkg, entry) {
  freeze(1332);
  const m = await import(pkg + entry);
  const out = {};
  for (const max of [1, 2, 599, 600, 601, 86399, 86400]) {
    const o = max === 600 ? base() : { ...base(), stateMaxAge: max };
    const c = new m.OAuthClient(o);
    const s = c.startAuthorization({});
    const url = `https://app.example/cb?code=c&state=${s.state}`;
    const row = [s.flowExpiresAt - T];
    for (const age of ages(max)) {
      Date.now = () => T + age;
      const r = outcome(() => c.parseCallback(url, s.pending));
      row.push(codeOf(r) === "ok" ? `ok ${r.flowExpiresAt - T}` : `${codeOf(r)}: ${r[2]}`);
    }
    Date.now = () => T;
    c.free();
    out[max] = row;
  }
  return out;
}

/** 3: the full build's timeout: an exchange whose fetch never answers, for a few timeoutMs values (the refusal's
 * message names the core's value), and verifyAccessToken's JWKS fetch (jwt.rs reads `timeoutMs` through
 * `client::timeout_ms`, the function sh50 split): the ms given to AbortSignal.timeout. */
export async function timeouts(pkg) {
  freeze(1333);
  const log = recordTimeouts();
  const m = await import(pkg + "node.js");
  // The signals held here: Node's timeout timer holds its signal weakly, and a fetch nobody else can settle may go with it.
  const held = [];
  const hang = (url, init) => new Promise((_, reject) => (held.push(init.signal), init.signal.addEventListener("abort", () => reject(init.signal.reason))));
  const out = {};
  // AbortSignal.timeout's timer does not hold Node's event loop open: this does, while a fetch hangs.
  const keep = setInterval(() => {}, 1000);
  const answer = async () => new Response(TOKEN, { status: 200, headers: { "content-type": "application/json" } });
  for (const ms of [ABSENT, 1, 2, 25]) {
    const o = withField({ ...base(), clientSecret: "sec", fetch: ms === ABSENT ? answer : hang }, "timeoutMs", ms);
    const c = new m.OAuthClient(o);
    log.length = 0;
    const started = performance.now();
    const r = await outcomeAsync(() => c.refresh("rt"));
    const took = performance.now() - started;
    // Fired no sooner than asked (a ms of timer slack), and not at some other, longer, timeout.
    out[ms === ABSENT ? "absent" : ms] = [r, [...log], ms === ABSENT || (took >= ms - 1 && took < ms + 2000)];
    c.free();
  }
  clearInterval(keep);
  // The JWT check: a JWKS URL per value (no cache between them), a fetch answering an empty set.
  const jwt = ["eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ", "eyJzdWIiOiJ4IiwiZXhwIjo0MTAyNDQ0ODAwfQ", "c2ln"].join(".");
  const fetch = async () => new Response('{"keys":[]}', { status: 200, headers: { "content-type": "application/json" } });
  const jwks = {};
  let i = 0;
  for (const [label, value] of VALUES) {
    log.length = 0;
    const r = await outcomeAsync(() => m.verifyAccessToken(jwt, withField({ jwks: `https://as.example/jwks/${i++}`, fetch }, "timeoutMs", value)));
    jwks[label] = `${codeOf(r)} ${log.join(",")}`;
  }
  return { out, jwks };
}

/** 4: the full build's core class (io.js' superclass, which takes options.js' record) given hand-written records: a
 * number slot options.js never writes (absent, empty, signs, fractions, u64::MAX and past it, malformed). */
export async function records(pkg) {
  freeze(1334);
  const m = await import(pkg + "node.js");
  const Core = Object.getPrototypeOf(m.OAuthClient);
  const { clientOptions, startOptions } = await import(pkg + "snippets/partner-oauth-f43156e7197aa377/src/wasm/options.js");
  const template = clientOptions({ ...base(), stateMaxAge: 777, timeoutMs: 7777 });
  const start = startOptions({});
  const SLOTS = ["~", "0:", "1:0", "1:1", "3:600", "5:86400", "5:86401", "6:300000", "6:300001", "10:4294967295", "10:4294967296",
    "10:4294967896", "20:18446744073709551615", "20:18446744073709551616", "21:184467440737095516160", "21:000000000000000000600",
    "2:-1", "3:1.5", "3:1e3", "4: 600", "3:abc", "1:t", "3:６００", "4:600\u0000"];
  const out = {};
  for (const slot of SLOTS) for (const [a, b] of [[slot, "~"], ["~", slot]]) {
    const record = template.replace("3:7774:7777", a + b);
    let c;
    const row = [outcome(() => ((c = new Core(record, false)), "ok"))];
    if (c) {
      row.push(outcome(() => c.timeoutMs));
      const s = outcome(() => c.startAuthorization(start));
      row.push(codeOf(s) === "ok" ? s.flowExpiresAt - T : s);
      c.free();
    }
    out[`${a} ${b}`] = row;
  }
  return out;
}

/** 5: flows started by one package's build and finished by another's (`a` and `b` package URLs: the same package for
 * page ↔ full, or d6f1564's and this one by hand), each build pair, the start's and the finish's max ages (the
 * finishing client's governs), unkeyed and with a state key: the codes at the finishing max's edges and the
 * flowExpiresAt they answer, relative to the start. */
export async function cross(a, b) {
  freeze(1335);
  const builds = { ap: await import(a + "page-node.js"), af: await import(a + "node.js"), bp: await import(b + "page-node.js"), bf: await import(b + "node.js") };
  const MAXES = [ABSENT, 1, 599, 600, 601, 86400];
  const out = {};
  const starts = [];
  for (const [from, to] of [["ap", "bf"], ["af", "bp"], ["ap", "bp"], ["af", "bf"], ["bp", "af"], ["bf", "ap"]]) for (const keyed of [false, true]) for (const x of MAXES) for (const y of MAXES) {
    if (x !== y && x !== ABSENT && y !== ABSENT && !(x === 600 || y === 600)) continue;
    const o = (v) => withField(keyed ? { ...base(), stateKey: ["k".repeat(32)] } : base(), "stateMaxAge", v);
    Date.now = () => T;
    const c = new builds[from].OAuthClient(o(x));
    const s = c.startAuthorization({ scopes: ["a"] });
    starts.push([s.url, s.state, String(s.pending), s.flowId, s.flowExpiresAt]);
    c.free();
    const d = new builds[to].OAuthClient(o(y));
    const max = effective(y);
    const row = [s.flowExpiresAt - T];
    for (const age of ages(max)) {
      Date.now = () => T + age;
      const r = outcome(() => d.parseCallback(`https://app.example/cb?code=c&state=${s.state}`, s.pending));
      row.push(codeOf(r) === "ok" ? r.flowExpiresAt - T : codeOf(r));
    }
    d.free();
    out[`${from}>${to} ${keyed ? "keyed" : "-"} ${String(x === ABSENT ? "absent" : x)}>${String(y === ABSENT ? "absent" : y)}`] = row.join(" ");
  }
  Date.now = () => T;
  return { n: Object.keys(out).length, sha: hash(starts), outSha: hash(out), out };
}

/** 6: fuzzed option sets: the two numbers (the listed values, random whole numbers near each limit and powers of two
 * and their neighbours, random doubles) with other options right or wrong (provider, client id, redirect URI, state
 * key, secret, endpoints); constructed, started, called back at a random age near the edge, and (full) exchanged
 * with the AbortSignal's ms recorded. */
export async function fuzz(pkg, entry, seed, n) {
  freeze(seed);
  const timeouts = recordTimeouts();
  const m = await import(pkg + entry);
  const full = entry === "node.js";
  let z = seed >>> 0 || 1;
  const rnd = (k) => ((z ^= z << 13), (z ^= z >>> 17), (z ^= z << 5), (z >>>= 0)) % k;
  const pick = (a) => a[rnd(a.length)];
  const number = () => {
    switch (rnd(6)) {
      case 0: return pick(VALUES)[1];
      case 1: return pick([1, 600, 10000, 86400, 300000]) + rnd(5) - 2;
      case 2: return 2 ** rnd(70) + rnd(3) - 1;
      case 3: return rnd(400000);
      case 4: return rnd(2) ? -rnd(1000) : rnd(100000) / pick([2, 3, 10, 1000]);
      default: return ABSENT;
    }
  };
  const fetch = async () => new Response(TOKEN, { status: 200, headers: { "content-type": "application/json" } });
  const out = [];
  for (let i = 0; i < n; i++) {
    const o = rnd(8) ? base() : { provider: pick(["payfit", "factorial", "nope"]), clientId: "cid", redirectUri: "https://app.example/cb" };
    if (rnd(10) === 0) o.clientId = "";
    if (rnd(10) === 0) o.redirectUri = pick(["ftp://x", "https://app.example/cb#f", "/cb"]);
    if (rnd(4) === 0) o.stateKey = pick([["k".repeat(32)], ["short"], "k".repeat(40)]);
    if (full && rnd(2)) o.clientSecret = pick(["sec", ""]);
    const a = number();
    const b = number();
    withField(o, "stateMaxAge", a);
    withField(o, "timeoutMs", b);
    const row = [];
    let c;
    row.push(outcome(() => ((c = new m.OAuthClient(full ? { ...o, fetch } : o)), "ok")));
    if (c) {
      if (full) row.push(c.timeoutMs);
      Date.now = () => T;
      let s;
      row.push(outcome(() => { s = c.startAuthorization({}); return [s.url, s.state, String(s.pending), s.flowExpiresAt]; }));
      if (s) {
        const max = effective(a);
        const age = pick(ages(max)) + rnd(3) - 1;
        Date.now = () => T + age;
        const url = `https://app.example/cb?code=c&state=${s.state}`;
        let back;
        row.push(age, outcome(() => { back = c.parseCallback(url, s.pending); return [back.code, back.flowExpiresAt]; }));
        if (full && back) {
          timeouts.length = 0;
          row.push(await outcomeAsync(() => c.exchangeCode(back, s.pending)), [...timeouts]);
        }
        Date.now = () => T;
      }
      c.free();
    }
    out.push(row);
  }
  const tally = {};
  for (const r of out) { const k = codeOf(r[0]); tally[k] = (tally[k] ?? 0) + 1; }
  return { n, sha: hash(out), tally };
}
