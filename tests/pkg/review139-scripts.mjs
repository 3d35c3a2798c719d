// Review 139's scripts (tests/pkg/review139.test.mjs): ep53 (the page's Error holds its answer: eight numbers and one
// byte buffer, the provider's fields appended by `with_callback_values`, `first_characters` a cut `&str`), the bare-query
// rule (a callback is a whole URL only when its `://` comes before any `=`) and review 137 A's deep wipe. Each runs in a
// child Node process on a package URL `pkg` with the random bytes (xorshift) and the clock fixed; run by hand against
// 4176818's packages (/tmp/rv138-old/pkg) they are the old/new differential oracle. Unlike review 138's `outcome`, an
// error is recorded whole: its own property names, code, message, providerCode, providerMessage, name and prototype.
import { freeze, hash } from "./frozen.mjs";

const redirectUri = "https://app.example/cb";
const endpoints = { authorize: "https://as.example/a", token: "https://as.example/t" };

const shape = (r) => (r === undefined ? "undefined" : JSON.parse(JSON.stringify(r)));
/** An error whole: every own property (names in order, values), its name, its prototype chain's constructors. */
function whole(e) {
  if (!e || typeof e !== "object") return ["THROWN", typeof e, String(e)];
  const own = {};
  for (const k of Reflect.ownKeys(e)) if (k !== "stack") own[String(k)] = e[k] === undefined ? "<undefined>" : e[k];
  const protos = [];
  for (let p = Object.getPrototypeOf(e); p; p = Object.getPrototypeOf(p)) protos.push(p.constructor?.name);
  return ["ERR", e.code, e.message, "providerCode" in e ? e.providerCode : "<absent>", "providerMessage" in e ? e.providerMessage : "<absent>", e.name, protos, own, Object.keys(e)];
}
export const full = (f) => {
  try {
    return shape(f());
  } catch (e) {
    return whole(e);
  }
};

/** Provider errors, refusals with message parts and sequences of refusals and successes on one client. */
function errors(m, setNow) {
  const out = [];
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints });
  const other = new m.OAuthClient({ provider: "custom", clientId: "other", redirectUri, endpoints });
  const f = c.startAuthorization({ payload: "secret-payload" });
  const st = encodeURIComponent(f.state);
  const q = (x) => `${redirectUri}?${x}`;
  const texts = ["", "a", "access_denied", "%20", "+", "%C3%A9", "%E2%80%A8", "%F0%9F%98%80", "%EF%BF%BD"];
  for (const ch of ["d", "%C3%A9", "%E2%9C%93", "%F0%9F%98%80"]) for (let n = 253; n <= 258; n++) texts.push(ch.repeat(n), "d".repeat(n - 1) + ch, "d".repeat(255) + ch.repeat(Math.max(0, n - 254)), ch.repeat(255) + "d".repeat(Math.max(0, n - 255)));
  texts.push("d".repeat(16000));
  for (const t of texts) {
    for (const tail of [`&state=${st}`, "", `&state=${st}&iss=https://as.example`, `&iss=https://as.example&state=${st}`, `&state=x`]) {
      out.push(["desc", t.length, tail.length, full(() => c.parseCallback(q(`error=access_denied&error_description=${t}${tail}`), f.pending))]);
      out.push(["code", t.length, tail.length, full(() => c.parseCallback(q(`error=${t}${tail}`), f.pending))]);
      out.push(["both", t.length, tail.length, full(() => c.parseCallback(q(`error=${t}&error_description=${t}${tail}`), f.pending))]);
      out.push(["bare", t.length, tail.length, full(() => c.parseCallback(`error=${t}&error_description=${t}${tail}`, f.pending))]);
      out.push(["path", t.length, tail.length, full(() => c.parseCallback(`/cb?error=${t}&error_description=${t}${tail}`, f.pending))]);
    }
  }
  // Refusals with parts: arguments of other types, a pending value of another client, too long texts, bad options.
  const odd = [undefined, null, 0, 1.5, NaN, true, {}, [], ["a"], Symbol.iterator, () => 1, 10n, new String("x"), "", "x".repeat(70000)];
  for (const a of odd) {
    out.push(["argCb", typeof a, full(() => c.parseCallback(a, f.pending))]);
    out.push(["argPending", typeof a, full(() => c.parseCallback(q(`code=C&state=${st}`), a))]);
    out.push(["argStart", typeof a, full(() => c.startAuthorization(a))]);
    for (const k of ["scopes", "payload", "params", "codeChallenge", "state", "redirectUri"]) out.push(["argStartOpt", k, typeof a, full(() => c.startAuthorization({ [k]: a }))]);
    for (const k of ["provider", "clientId", "redirectUri", "endpoints", "environment", "clientSecret", "stateKey", "scopes"]) out.push(["argNew", k, typeof a, full(() => new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, [k]: a }).free())]);
  }
  const g = other.startAuthorization({});
  out.push(["otherClient", full(() => c.parseCallback(q(`code=C&state=${encodeURIComponent(g.state)}`), g.pending))]);
  for (const p of ["google", "github", "microsoft", "nope", "GOOGLE", ""]) out.push(["provider", p, full(() => new m.OAuthClient({ provider: p, clientId: "cid", redirectUri }).free())]);
  for (const env of ["sandbox", "production", "nope", "x".repeat(300)]) out.push(["env", env.length, full(() => new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, environment: env }).free())]);
  for (const r of ["http://a/cb", "https://a/cb#x", "ftp://a", "https://u:p@a/cb", "https://é/cb", "x".repeat(70000), "https://a/" + "é".repeat(40000)]) out.push(["redirect", r.slice(0, 20), r.length, full(() => new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri: r, endpoints }).free())]);
  // The flow's age: expired and from the future.
  for (const dt of [-1e12, -600_001, -1, 0, 599_999, 600_000, 600_001, 3_600_001, 1e13]) {
    setNow(1765000000000 + dt);
    out.push(["age", dt, full(() => c.parseCallback(q(`code=C&state=${st}`), f.pending))]);
    out.push(["ageErr", dt, full(() => c.parseCallback(q(`error=x&error_description=y&state=${st}`), f.pending))]);
  }
  setNow(1765000000000);
  // Sequences on one client: provider fields, then refusals without, successes between: no stale field.
  const seq = [
    q(`error=E1&error_description=${"é".repeat(300)}&state=${st}`), q(`code=C&state=${st}x`), q(`code=C&state=${st}`), q(`error=E2&state=${st}`),
    q("x=1"), q(`error=&error_description=&state=${st}`), `${redirectUri}#error=E3`, q(`error=E4&error_description=D4&state=${st}`), q(`code=C&state=${st}`),
    q(`error=E5&state=${st}&error=E6`), q(`error=${"d".repeat(300)}`), q(`code=C&state=${st}`),
  ];
  for (let i = 0; i < 3; i++) for (const s of seq) out.push(["seq", i, s.slice(0, 40), full(() => c.parseCallback(s, f.pending))], ["seqOther", i, full(() => c.parseCallback(s, g.pending))]);
  // The pending value's and the state's secrets never in an error: every error text checked for them.
  c.free();
  out.push(["freed", full(() => c.parseCallback(q(`code=C&state=${st}`), f.pending))], ["freedStart", full(() => c.startAuthorization({}))]);
  other.free();
  return out;
}

/** Thrown errors inside nested calls: a refusal raised by a call made from the random source or the clock during a
 * start or callback, then the outer call's answer. */
function nested(m, r) {
  const out = [];
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints });
  const f = c.startAuthorization({});
  const inner = [
    () => c.parseCallback(`${redirectUri}?error=IN&error_description=${"%C3%A9".repeat(260)}&state=${encodeURIComponent(f.state)}`, f.pending),
    () => c.parseCallback(5, f.pending),
    () => c.startAuthorization({ scopes: 5 }),
    () => c.parseCallback(`${redirectUri}?code=C&state=${encodeURIComponent(f.state)}`, f.pending),
  ];
  for (const g of inner) {
    let got;
    hook = () => ((hook = null), (got = full(g)));
    // The pool refills now and then: starts until one refill ran the inner call.
    let outer, starts = 0;
    while (hook && starts++ < 1000) outer = full(() => c.startAuthorization({ payload: "x" }));
    hook = null;
    out.push(["nestedRandom", starts, got, outer && outer.state ? "started" : outer]);
    const now = Date.now;
    Date.now = () => ((got = full(g)), now());
    const outer2 = full(() => c.parseCallback(`${redirectUri}?error=OUT&error_description=D&state=${encodeURIComponent(f.state)}`, f.pending));
    const outer3 = full(() => c.parseCallback(`${redirectUri}?code=C&state=${encodeURIComponent(f.state)}`, f.pending));
    Date.now = now;
    out.push(["nestedClock", got, outer2, outer3]);
  }
  c.free();
  return out;
}

// Called once from the random source, when set (the package takes getRandomValues at load).
let hook = null;
export async function all(pkg, file = "page-node.js", seed = 1391) {
  const r = freeze(seed);
  const fill = globalThis.crypto.getRandomValues;
  Object.defineProperty(globalThis.crypto, "getRandomValues", { configurable: true, writable: true, value: (a) => (hook && hook(), fill(a)) });
  const m = await import(pkg + file);
  const setNow = (t) => (Date.now = () => t);
  return [...errors(m, setNow), ...nested(m, r)];
}

export async function summary(pkg, file = "page-node.js", seed = 1391) {
  const out = await all(pkg, file, seed);
  const tally = {};
  for (const r of out) {
    const a = r.at(-1);
    const k = r[0] + ":" + (Array.isArray(a) && a[0] === "ERR" ? a[1] : Array.isArray(a) && a[0] === "THROWN" ? "THROWN" : "ok");
    tally[k] = (tally[k] ?? 0) + 1;
  }
  return { n: out.length, sha: hash(out), tally };
}

/** Random callback texts around the bare-query rule: `=`, `://`, schemes in any casing, userinfo, `/`, `?`, `#`,
 * whitespace, with valid OAuth parameters; every answer in order with the text. */
export async function bareRandom(pkg, file = "page-node.js", seed = 1392, n = 4000, encoded = false) {
  const { next } = freeze(seed);
  const m = await import(pkg + file);
  const pick = (a) => a[next() % a.length];
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints });
  const f = c.startAuthorization({});
  const st = encodeURIComponent(f.state);
  const pieces = ["=", "://", "https://", "HTTPS://", "http://", "HtTp://", "https:", "//", "/", "?", "#", "&", " ", "\t", "%20", "@", "u=v@", ":", "evil", "app.example", "app.example/cb", "x", "iss=", "code=C", `state=${st}`, "code=D", "error=E", "error_description=F", "%3D", "%3A%2F%2F", "=https://evil/?code=E", "javascript:", "data:", "é"];
  const out = [];
  for (let i = 0; i < n; i++) {
    let t = "";
    for (let k = 1 + (next() % 8); k > 0; k--) t += pick(pieces);
    if (next() % 2) t += pick(["&", "?", "#", ""]) + `code=C&state=${st}`;
    if (next() % 4 === 0) t = pick(["", "/", "?", "https://app.example/cb?", "https://evil/?", "HTTPS://APP.EXAMPLE/cb?"]) + t;
    // `encoded`: each `://` sent as `%3A%2F%2F` (the same decoded bytes in a bare query, never a whole URL).
    const sent = encoded ? t.replaceAll("://", "%3A%2F%2F") : t;
    out.push([t, full(() => c.parseCallback(sent, f.pending))]);
  }
  c.free();
  return out;
}

/** The package and every memory its instances export (WebAssembly.instantiate and Instance both watched). */
async function loadWatched(pkg, file) {
  const W = WebAssembly, Instance = W.Instance, instantiate = W.instantiate, memories = [];
  const note = (i) => (i && i.exports && i.exports.memory && memories.push(i.exports.memory), i);
  W.Instance = new Proxy(Instance, { construct: (t, a, n) => note(Reflect.construct(t, a, n)) });
  W.instantiate = async (...a) => { const r = await instantiate(...a); note(r.instance ?? r); return r; };
  try {
    const m = await import(pkg + file);
    if (m.default && typeof m.default === "function") await m.default();
    return { m, memories };
  } finally {
    (W.Instance = Instance), (W.instantiate = instantiate);
  }
}

/** After refusals and successes on one client (provider errors, state mismatches, other clients' pending values) and
 * its free(): how many copies of the code, the state, the pending value, its verifier and flow id, and the payload
 * lie anywhere in memory. */
export async function residue(pkg, file = "page-node.js", seed = 1393, freeFirst = true) {
  freeze(seed);
  const { m, memories } = await loadWatched(pkg, file);
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints });
  const other = new m.OAuthClient({ provider: "custom", clientId: "other", redirectUri, endpoints });
  const payload = "PAYLOAD-139-" + "p".repeat(20);
  const f = c.startAuthorization({ payload });
  const g = other.startAuthorization({});
  const code = "CODE139SECRETxyzCODE139SECRETxyz";
  const st = encodeURIComponent(f.state);
  const q = (x) => `${redirectUri}?${x}`;
  for (const s of [q(`code=${code}&state=${st}`), q(`error=E&error_description=${code}&state=${st}`), q(`code=${code}&state=${st}x`), q(`code=${code}&state=${st}`), `code=${code}&state=${st}&iss=https://as.example`]) {
    full(() => c.parseCallback(s, f.pending));
    full(() => c.parseCallback(s, g.pending));
  }
  const fields = (await import("./frozen.mjs")).pendingFields(f.pending);
  if (freeFirst) c.free(), other.free();
  const mem = Buffer.concat(memories.map((x) => Buffer.from(x.buffer)));
  const count = (needle) => { let n = 0; for (let at = mem.indexOf(needle); at >= 0; at = mem.indexOf(needle, at + 1)) n++; return n; };
  const out = { memories: memories.length, code: count(code.slice(0, 16)), state: count(f.state.slice(0, 16)), pending: count(f.pending.slice(0, 16)), payload: count(payload.slice(0, 16)) };
  fields.fields.forEach((x, i) => { if (x && x.length >= 8) out["field" + i] = count(x.slice(0, 16)); });
  return out;
}

/** `bareRandom`'s answers hashed, with a tally of their codes and of the texts with a `=` before their first `://`
 * (not a path): the bare-query class the rule changed. */
export async function bareSummary(pkg, file = "page-node.js", seed = 1392, n = 4000) {
  const out = await bareRandom(pkg, file, seed, n);
  const tally = {};
  for (const [t, a] of out) {
    const k = Array.isArray(a) && a[0] === "ERR" ? a[1] : Array.isArray(a) ? "THROWN" : "ok";
    tally[k] = (tally[k] ?? 0) + 1;
    const e = t.indexOf("="), u = t.indexOf("://");
    if (!t.startsWith("/") && e >= 0 && e < u) tally["bare:" + k] = (tally["bare:" + k] ?? 0) + 1;
  }
  return { n: out.length, sha: hash(out), tally };
}

/** The answers outside the bare-query class, hashed: `all`'s without its bare texts (`which` "all", tag `bare`), or
 * `bareRandom`'s without the texts with a `=` before their first `://` (not a path) (`which` "random"). These are the
 * same for 4176818's build and this one. */
export async function outsideBare(pkg, file = "page-node.js", which = "all") {
  const kept = which === "all"
    ? (await all(pkg, file)).filter((r) => r[0] !== "bare")
    : (await bareRandom(pkg, file)).filter(([t]) => { const e = t.indexOf("="), u = t.indexOf("://"); return t.startsWith("/") || e < 0 || e > u; });
  return [kept.length, hash(kept)];
}
