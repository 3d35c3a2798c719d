// Review 130's scripts (tests/pkg/review130.test.mjs): helper cb48's page-build changes (`Message` as one u16, the
// callback and start paths' one-caller functions inlined). Each runs in a child Node process on a package URL `pkg`
// with the random bytes (xorshift) and the clock fixed, on the page build (page-node.js), and answers a summary the
// test pins. Run by hand against d6f1564's (/tmp/review128-old/pkg) and f747cc0's packages, they are the old/new
// differential oracle.
import { createHash, createHmac } from "node:crypto";
import { forgePending as forge, midstate, pendingFields, xorshift } from "./frozen.mjs";
import { exposePointer } from "./stack.mjs";

const hash = (x) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 16);
const redirectUri = "https://app.example/cb";
const endpoints = { authorize: "https://as.example/a", token: "https://as.example/t" };
const ISS = "https://as.example";
const KEY = "k".repeat(32), KEY2 = "K".repeat(40);
let clock = 1765000000000;
const freeze = (seed) => {
  const r = xorshift(seed);
  Date.now = () => clock;
  return r;
};
const b64 = (b) => Buffer.from(b).toString("base64url");
const b64d = (t) => Buffer.from(t, "base64url");

/** The page module (page-node.js) and its instance's exports, `g` (the shadow stack pointer) among them. */
async function load(pkg) {
  const hide = exposePointer();
  const Instance = WebAssembly.Instance, made = [];
  WebAssembly.Instance = new Proxy(Instance, { construct(t, a, n) { const i = Reflect.construct(t, a, n); made.push(i.exports); return i; } });
  try {
    return { m: await import(pkg + "page-node.js"), raw: made[0] };
  } finally {
    WebAssembly.Instance = Instance;
    hide();
  }
}

/** An answer: the value, or every field of the error (code, message, provider fields, name). */
const outcome = (f) => {
  try {
    const r = f();
    return r === undefined ? "undefined" : JSON.parse(JSON.stringify(r));
  } catch (e) {
    if (e && e.code) {
      const fields = {};
      for (const k of Object.keys(e).sort()) fields[k] = typeof e[k] === "object" ? JSON.stringify(e[k]) : e[k];
      return ["ERR", e.name, e.code, e.message, fields];
    }
    return ["THROW", e?.name ?? String(e), String(e?.message).slice(0, 100)];
  }
};


/** An unsealed pending value sealed with `key` (HMAC-SHA256 over the purpose's label and "p2.<body>"). */
const seal = (pending, key) => pending + "." + b64(createHmac("sha256", key).update("partner-oauth pending v1\0").update(pending).digest());
/** A state body signed with `key`. */
const sign = (body, key) => body + "." + b64(createHmac("sha256", key).update("partner-oauth state v1\0").update(body).digest());

/** 1: every refusal the page raises, each error's every field: the constructor's, the start's, the callback's
 * (URL reader, pending value, state, iss, provider errors with their texts), the freed client's, PKCE's. */
export async function pageErrors(pkg) {
  freeze(1301);
  const { m } = await load(pkg);
  const { OAuthClient, newPkceVerifier, pkceChallenge } = m;
  const out = [];
  const base = { clientId: "cid", redirectUri };
  const ctor = [
    undefined, null, 1, "x", {}, { provider: 1 }, { provider: "nope" }, { ...base, provider: "nope" }, { ...base, provider: "payout", environment: "moon" },
    { ...base, provider: "tropipay", environment: 7 }, { provider: "payout", redirectUri }, { ...base, provider: "payout", clientId: "" },
    { ...base, provider: "payout", clientId: "a\u0001b" }, { ...base, provider: "payout", clientId: "c".repeat(513) }, { ...base, provider: "payout", clientId: 5 },
    { ...base, provider: "payout", clientSecret: "" }, { ...base, provider: "payout", clientSecret: "s" }, { ...base, provider: "payout", stateKey: "short" },
    { ...base, provider: "payout", stateKey: [] }, { ...base, provider: "payout", stateKey: Array(9).fill(KEY) }, { ...base, provider: "payout", stateKey: KEY },
    { ...base, provider: "payout", stateKey: [KEY, "s"] }, { ...base, provider: "payout", stateMaxAge: 0 }, { ...base, provider: "payout", stateMaxAge: 86401 },
    { ...base, provider: "payout", stateMaxAge: 1.5 }, { ...base, provider: "payout", timeoutMs: 0 }, { ...base, provider: "payout", timeoutMs: 300001 },
    { ...base, provider: "payout", redirectUri: "ftp://x/" }, { ...base, provider: "payout", redirectUri: "http://evil.example/cb" },
    { ...base, provider: "payout", redirectUri: "http://127.0.0.1/cb" }, { ...base, provider: "payout", redirectUri: "https://u:p@app.example/cb" },
    { ...base, provider: "payout", redirectUri: "https://app.example/cb#f" }, { ...base, provider: "payout", redirectUri: "https://app.example/cb?q=1" },
    { ...base, provider: "payout", redirectUri: "https://äpp.example/cb" }, { ...base, provider: "payout", redirectUri: "/cb" }, { ...base, provider: "payout", redirectUri: "" },
    { ...base, provider: "custom" }, { ...base, provider: "custom", endpoints: { authorize: "https://as.example/a" } },
    { ...base, provider: "custom", endpoints: { authorize: "http://as.example/a", token: "https://as.example/t" } },
    { ...base, provider: "custom", endpoints, preset: { pkce: "maybe" } }, { ...base, provider: "custom", endpoints, preset: { clientAuth: "x" } },
    { ...base, provider: "custom", endpoints, preset: { authorizeParams: { state: "x" } } }, { ...base, provider: "custom", endpoints, preset: { authorizeParams: { response_type: "x" } } },
    { ...base, provider: "custom", endpoints, preset: { issuer: "nope" } }, { ...base, provider: "custom", endpoints, preset: { issuer: ISS } },
    { ...base, provider: "custom", endpoints, preset: { scopeSeparator: 5 } }, { ...base, provider: "custom", endpoints, extra: 1 },
    { ...base, provider: "factorial" }, { ...base, provider: "billit" }, { ...base, provider: "payfit" }, { ...base, provider: "tropipay", environment: "sandbox" },
    { ...base, provider: "payout", tokenKind: "x" }, { ...base, provider: "custom", endpoints, tokenKind: "company" },
  ];
  for (const o of ctor) out.push(["ctor", outcome(() => { const c = new OAuthClient(o); const r = [c.provider, c.environment]; c.free(); return r; })]);
  const c = new OAuthClient({ ...base, provider: "custom", endpoints });
  const starts = [
    undefined, null, 5, {}, { scopes: "a" }, { scopes: [] }, { scopes: Array(101).fill("s") }, { scopes: ["a b"] }, { scopes: ["a\"b"] }, { scopes: [""] },
    { scopes: ["é"] }, { payload: "p".repeat(2048) }, { payload: "p".repeat(2049) }, { payload: 5 }, { params: { state: "x" } }, { params: { client_id: "x" } },
    { params: { a: 1 } }, { params: { a: "1", A: "2" } }, { tokenKind: "company" }, { redirectUri: "https://x.example/cb" }, { codeVerifier: "short" },
    { codeVerifier: "v".repeat(43) }, { codeVerifier: "v".repeat(129) }, { codeVerifier: "v".repeat(42) + "!" },
  ];
  for (const o of starts) out.push(["start", outcome(() => { const s = c.startAuthorization(o); return [s.url.length, typeof s.state, typeof s.pending]; })]);
  const s = c.startAuthorization({ payload: "pl" });
  const st = s.state, p = s.pending;
  const q = (x) => `${redirectUri}?${x}`;
  const cbs = [
    1, null, "", "not a url", "ftp://x/?code=a&state=" + st, q("c".repeat(16385)), `${redirectUri}#code=a&state=${st}`, q(""), q("foo=bar"),
    q(`code=a%01&state=${st}`), q(`code=a%FF&state=${st}`), q(`code=a&code=b&state=${st}`), q(`code=a&state=${st}&state=${st}`),
    q("code=a"), q(`code=a&state=${st}x`), q(`code=a&state=${st.slice(0, -1)}`), q(`state=${st}`), q(`code=&state=${st}`),
    q(`error=access_denied&state=${st}`), q(`error=access_denied&error_description=no%20way&error_uri=https%3A%2F%2Fas.example%2Fe&state=${st}`),
    q(`error=server_error&error_description=${"d".repeat(300)}`), q("error=invalid_scope"), q(`error=x%FF&state=${st}`), q(`error=a&error=b&state=${st}`),
    q(`error=temporarily_unavailable&error_description=%E2%9C%93&state=${st}`), q(`error=access_denied&state=wrong`), q(`error=&state=${st}`),
    q(`code=a&state=${st}&iss=${encodeURIComponent(ISS)}`), q(`code=a&state=${st}&iss=x&iss=y`), q(`code=%E2%9C%93&state=${st}`), `${redirectUri}?code=a&state=${st}#frag`,
  ];
  const pendings = [undefined, 5, "", "p2.", "p2.@@", "p3." + p.slice(3), p.slice(0, -3), p + ".AAAA", "p2." + "A".repeat(8200), p];
  for (const cb of cbs) for (const pe of pendings) out.push(["cb", outcome(() => c.parseCallback(cb, pe))]);
  // iss: a client expecting one.
  const ci = new OAuthClient({ ...base, provider: "custom", endpoints, preset: { issuer: ISS } });
  const si = ci.startAuthorization({});
  for (const x of [`code=a&state=${si.state}`, `code=a&state=${si.state}&iss=${encodeURIComponent(ISS)}`, `code=a&state=${si.state}&iss=https%3A%2F%2Fevil.example`,
    `error=access_denied&state=${si.state}`, `error=access_denied&state=${si.state}&iss=https%3A%2F%2Fevil.example`, `error=access_denied&state=${si.state}&iss=${encodeURIComponent(ISS)}`,
    `code=a&state=${si.state}&iss=${encodeURIComponent(ISS + "/")}`, `code=a&state=${si.state}&iss=`]) out.push(["iss", outcome(() => ci.parseCallback(q(x), si.pending))]);
  // Cross-client pending values, one field changed each.
  const pf = pendingFields(p);
  const F = pf.fields;
  for (const fields of [["payout", ...F.slice(1)], [F[0], "cid2", ...F.slice(2)], [F[0], F[1], "sandbox", ...F.slice(3)], [F[0], F[1], "x".repeat(300), ...F.slice(3)]])
    out.push(["owner", outcome(() => c.parseCallback(q(`code=a&state=${st}`), forge(pf.created, fields)))]);
  // Age: the clock moved past stateMaxAge, and into the past.
  const ca = new OAuthClient({ ...base, provider: "custom", endpoints, stateMaxAge: 1 });
  const sa = ca.startAuthorization({});
  for (const dt of [0, 999, 1000, 1001, 2000, 86400000, -1, -1000, -1001]) {
    clock += dt;
    out.push(["age", dt, outcome(() => ca.parseCallback(q(`code=a&state=${sa.state}`), sa.pending))]);
    clock -= dt;
  }
  // A stateKey (Node: no DOM): sealed pending values and signed states.
  const ck = outcome(() => new OAuthClient({ ...base, provider: "custom", endpoints, stateKey: [KEY, KEY2] }));
  out.push(["keyed", Array.isArray(ck) ? ck : "made"]);
  if (!Array.isArray(ck)) {
    const k = new OAuthClient({ ...base, provider: "custom", endpoints, stateKey: [KEY, KEY2] });
    const k2 = new OAuthClient({ ...base, provider: "custom", endpoints, stateKey: [KEY2] });
    const sk = k.startAuthorization({ payload: "signed" }), s2 = k2.startAuthorization({});
    const [pb, pm] = sk.pending.slice(3).split("."), [sb, sm] = sk.state.split(".");
    const flip = (t) => t.slice(0, -2) + (t.at(-2) === "A" ? "B" : "A") + t.at(-1);
    const body = b64d(sb);
    const restate = (b, mac = sm) => b64(b) + (mac === null ? "" : "." + mac);
    const withState = (state, pending = sk.pending) => {
      const pf2 = pendingFields(pending);
      if (!pf2) return pending;
      pf2.fields[3] = state;
      return forge(pf2.created, pf2.fields);
    };
    const cases = [
      [sk.state, sk.pending], [sk.state, "p2." + pb], [sk.state, "p2." + pb + "." + flip(pm)], [sk.state, "p2." + pb + "." + pm.slice(0, -1)], [sk.state, "p2." + pb + "." + pm + "A"],
      [sk.state, "p2." + pb + "." + s2.pending.split(".")[2]], [s2.state, s2.pending], [sk.state, "p2." + pb + ".@@"], [sk.state, "p2." + pb + "." + pm + ".x"],
    ];
    for (const [state, pending] of cases) out.push(["keyed-pending", outcome(() => k.parseCallback(q(`code=a&state=${state}`), pending))]);
    // States: only reachable with a pending value naming them, so each is forged into an unsealed pending value and
    // checked by a keyless client (its state check) and a keyed one (its seal first).
    const states = [
      sb, sb + "." + flip(sm), sb + "." + sm + "." + sm, "@@" + sb, restate(body.subarray(0, 10)), restate(Buffer.concat([Buffer.from([9]), body.subarray(1)])),
      restate(Buffer.concat([body, Buffer.from([0xff, 0xfe])])), "s".repeat(4097), restate(Buffer.from([1]), null), "",
      restate((() => { const b = Buffer.from(body); b.writeBigUInt64BE(BigInt(clock + 10 ** 9), 1); return b; })(), null),
    ];
    const plain = new OAuthClient({ ...base, provider: "custom", endpoints });
    const ps = plain.startAuthorization({ payload: "x" });
    for (const state of [...states, sign(sb, KEY), sign(sb, KEY2), sign(sb, "x".repeat(32)), sign(sb, KEY) + "A", sign(b64(body.subarray(0, 10)), KEY), sign("@@", KEY)]) {
      out.push(["keyed-state", outcome(() => k.parseCallback(q(`code=a&state=${encodeURIComponent(state)}`), withState(state, "p2." + pb)))]);
      for (const key of [KEY, KEY2, "x".repeat(32)]) out.push(["keyed-sealed", outcome(() => k.parseCallback(q(`code=a&state=${encodeURIComponent(state)}`), seal(withState(state, "p2." + pb), key)))]);
      out.push(["plain-state", outcome(() => plain.parseCallback(q(`code=a&state=${encodeURIComponent(state)}`), withState(state, ps.pending)))]);
      const pbody = b64d(ps.state.split(".")[0]);
      const st2 = state === sb ? b64(pbody) : state;
      out.push(["plain-own", outcome(() => plain.parseCallback(q(`code=a&state=${encodeURIComponent(st2)}`), withState(st2, ps.pending)))]);
    }
    // A plain state's body altered: version, payload UTF-8, trailing bytes, future, truncated.
    const pbody = b64d(ps.state);
    const alters = {
      version: (b) => (b[0] ^= 0x7f, b), badUtf8: (b) => Buffer.concat([b.subarray(0, b.length - 1), Buffer.from([0xff])]), trailing: (b) => Buffer.concat([b, Buffer.from("zz")]),
      future: (b) => (b.writeBigUInt64BE(BigInt(clock / 1000) + 10n, 2), b), futureMs: (b) => (b.writeBigUInt64BE(BigInt(clock), 2), b), past: (b) => (b.writeBigUInt64BE(0n, 2), b), truncated: (b) => b.subarray(0, 20), empty: () => Buffer.alloc(0),
      one: () => Buffer.from([1]), longPayload: (b) => Buffer.concat([b, Buffer.alloc(2100, 0x61)]),
    };
    out.push(["plain-body", pbody.toString("hex")]);
    for (const [name, f] of Object.entries(alters)) {
      const st3 = b64(f(Buffer.from(pbody)));
      out.push(["alter", name, outcome(() => plain.parseCallback(q(`code=a&state=${st3}`), withState(st3, ps.pending)))]);
    }
  }
  // The platform's random bytes failing, in a start.
  {
    const rv = crypto.getRandomValues;
    crypto.getRandomValues = () => { throw new Error("no entropy"); };
    out.push(["random", outcome(() => c.startAuthorization({})), outcome(() => newPkceVerifier())]);
    crypto.getRandomValues = rv;
  }
  // Every provider and environment: without a redirectUri, with a query in it, with token kinds, endpoints missing.
  const envs = { payout: ["production", "sandbox", "production-id", "sandbox-id"], tropipay: ["production", "sandbox"], billit: ["production", "sandbox"], factorial: ["production"], payfit: ["production"], custom: [undefined] };
  for (const [provider, list] of Object.entries(envs)) {
    for (const environment of list) {
      for (const ru of [undefined, redirectUri, redirectUri + "?q=1"]) {
        for (const extra of [{}, { endpoints: { authorize: "https://as.example/a" } }, { endpoints }]) {
          const o = { clientId: "cid", provider, ...(environment ? { environment } : {}), ...(ru ? { redirectUri: ru } : {}), ...extra };
          const made = outcome(() => new OAuthClient(o));
          if (Array.isArray(made)) { out.push(["env-ctor", provider, environment, made]); continue; }
          const x = new OAuthClient(o);
          for (const so of [{}, { tokenKind: "x" }, { tokenKind: "company" }, { tokenKind: "user" }, { redirectUri }]) out.push(["env-start", provider, environment, outcome(() => x.startAuthorization(so).url)]);
          x.free();
        }
      }
    }
  }
  // A page with a DOM: a secret or a state key.
  globalThis.document = {};
  for (const o of [{ clientSecret: "s" }, { stateKey: KEY }, { clientSecret: "" }, { stateKey: [] }, {}]) out.push(["dom", outcome(() => { new OAuthClient({ ...base, provider: "payout", ...o }).free(); return "made"; })]);
  delete globalThis.document;
  // Texts past the glue's limit, and a pending field past 65,535 bytes.
  const huge = "h".repeat(16777217);
  out.push(["huge", outcome(() => new OAuthClient({ ...base, provider: "payout", clientId: huge })), outcome(() => c.parseCallback(huge, p)), outcome(() => c.parseCallback(q("code=a"), huge))]);
  const cl = new OAuthClient({ ...base, provider: "custom", endpoints });
  out.push(["longField", outcome(() => cl.startAuthorization({ params: { x: "y".repeat(70000) } }).url.length), outcome(() => cl.startAuthorization({ scopes: Array(100).fill("s".repeat(700)) }).url.length)]);
  cl.free();
  // Grants the preset lacks, and a pending field past 65,535 bytes (a redirectUri that long).
  for (const o of [{ preset: { grants: ["client_credentials"] } }, { preset: { grants: [] } }, { preset: { grants: ["refresh_token"] } }, { redirectUri: "https://app.example/" + "r".repeat(70000) }, { redirectUri: "https://app.example/" + "r".repeat(65500) }])
    out.push(["grants", outcome(() => { const x = new OAuthClient({ ...base, provider: "custom", endpoints, ...o }); try { return x.startAuthorization({}).pending.length; } finally { x.free(); } })]);
  out.push(["pkce", outcome(() => pkceChallenge(1)), outcome(() => pkceChallenge("a")), outcome(() => pkceChallenge("v".repeat(43))), outcome(() => typeof newPkceVerifier())]);
  c.free();
  out.push(["freed", outcome(() => c.startAuthorization({})), outcome(() => c.parseCallback(q(`code=a&state=${st}`), p)), outcome(() => c.provider), outcome(() => c.free())]);
  const codes = {};
  for (const e of JSON.stringify(out).matchAll(/"ERR","[A-Za-z]+","([a-z_]+)"/g)) codes[e[1]] = (codes[e[1]] ?? 0) + 1;
  return { n: out.length, sha: hash(out), codes, out };
}

/** 2: fuzzed callbacks and pending values over several clients (no key, two state keys, an issuer, a short max age),
 * `n` cases from `seed`: each answer (result or error fields) hashed; a tally of codes. */
export async function pageFuzz(pkg, seed = 1302, n = 3000) {
  const { next } = freeze(seed);
  const { m } = await load(pkg);
  const base = { clientId: "cid", redirectUri };
  const specs = {
    plain: { ...base, provider: "custom", endpoints },
    keyed: { ...base, provider: "custom", endpoints, stateKey: [KEY, KEY2] },
    keyed2: { ...base, provider: "custom", endpoints, stateKey: [KEY2] },
    iss: { ...base, provider: "custom", endpoints, preset: { issuer: ISS } },
    short: { ...base, provider: "custom", endpoints, stateMaxAge: 5 },
    payout: { ...base, provider: "payout" },
    payoutSandbox: { ...base, provider: "payout", environment: "sandbox" },
    other: { ...base, clientId: "cid2", provider: "custom", endpoints },
  };
  const cs = {};
  for (const [k, o] of Object.entries(specs)) { try { cs[k] = new m.OAuthClient(o); } catch (e) { cs[k] = null; } }
  const names = Object.keys(cs).filter((k) => cs[k]);
  const flows = [];
  for (const k of names) for (let i = 0; i < 3; i++) flows.push([k, cs[k].startAuthorization(i ? { payload: "pay" + i, scopes: ["s" + i] } : {})]);
  const pick = (a) => a[next() % a.length];
  const mutate = (t) => {
    const s = [...t];
    const op = next() % 8;
    const i = s.length ? next() % s.length : 0;
    const ch = "AZaz09-_.%&=+~\u00e9\u0001#?".split("");
    if (op === 0 && s.length) s[i] = pick(ch);
    else if (op === 1) s.splice(i, 0, pick(ch));
    else if (op === 2 && s.length) s.splice(i, 1);
    else if (op === 3) s.splice(i);
    else if (op === 4 && s.length) s[i] = String.fromCharCode(s[i].charCodeAt(0) ^ 1);
    else if (op === 5) return t + t.slice(i);
    return s.join("");
  };
  const answers = [], tally = {};
  for (let k = 0; k < n; k++) {
    const [fk, f] = pick(flows);
    const c = cs[pick(names)];
    let state = f.state, pending = f.pending;
    const [, g] = pick(flows);
    const kind = next() % 12;
    if (kind === 1) pending = mutate(pending);
    if (kind === 2) state = mutate(state);
    if (kind === 3) pending = g.pending;
    if (kind === 4) state = g.state;
    if (kind === 5) { const pf = pendingFields(pending); if (pf) { pf.fields[next() % 7] = pick([null, "", "x", "custom", "cid", "sandbox", g.state]); pending = forge(next() % 2 ? pf.created : 0n, pf.fields); } }
    if (kind === 6) { const [a, b] = pending.split(".").slice(1); const [, , mac2] = g.pending.split("."); pending = "p2." + a + (mac2 ? "." + mac2 : b ? "" : ""); }
    if (kind === 7) { const [sb, sm] = state.split("."); const [, gm] = g.state.split("."); state = sm && gm ? sb + "." + gm : sb; }
    const tails = ["", `&iss=${encodeURIComponent(ISS)}`, "&iss=https%3A%2F%2Fevil.example", "&iss=" + encodeURIComponent(ISS) + "&iss=" + encodeURIComponent(ISS), "&code=dup", "&state=" + state, "&error=access_denied", "&error_description=x%20y", "&x=1&x=2", "&%63ode=x", "&stat%65=" + state, "&Code=x", "&code+=x", "&i%73s=" + encodeURIComponent(ISS), "&error%5Furi=u&error_uri=v", "&=&=", "&&&", "&state", "&code"];
    const head = pick([`code=C${k}&state=${state}`, `error=access_denied&state=${state}&error_description=d${k}`, `state=${state}`, `code=C${k}`, `error=invalid_request`, `state=${state}&code=%E2%9C%93`]);
    let query = head + pick(tails);
    if (kind === 8) query = mutate(query);
    const dt = kind === 9 ? pick([4999, 5000, 5001, 6000, -1, 3600000, 86400001]) : 0;
    clock += dt;
    const r = outcome(() => c.parseCallback(`${redirectUri}?${query}`, pending));
    clock -= dt;
    answers.push(r);
    const key = Array.isArray(r) ? r[2] ?? r[1] : "ok";
    tally[key] = (tally[key] ?? 0) + 1;
  }
  const messages = [...new Set(answers.filter((r) => r[0] === "ERR").map((r) => r[2] + " | " + r[3].replace(/[0-9]+/g, "N")))].sort();
  return { n, names, sha: hash(answers), tally, messages };
}

/** SHA-256's state after one block (the HMAC key's ipad or opad block): its eight words, big- and little-endian. */
/** The HMAC key's derived secrets: its ipad and opad blocks and SHA-256's state after each (as good as the key). */
function hmacDerived(key) {
  const k = Buffer.alloc(64);
  Buffer.from(key).copy(k);
  const ipad = Buffer.from(k.map((x) => x ^ 0x36)), opad = Buffer.from(k.map((x) => x ^ 0x5c));
  const i = midstate(ipad), o = midstate(opad);
  return { ipad: ipad.subarray(0, 32), opad: opad.subarray(0, 32), innerBE: i.be, innerLE: i.le, outerBE: o.be, outerLE: o.le };
}

/** 3: which secrets of a flow (code, state, verifier base64url and raw, the pending value, the state key, the
 * payload) the page's memory holds after a callback, after a refused callback, and after free(): where each is
 * (`stack` below the pointer's top, `heap` above), counted. */
export async function pageResidue(pkg, keyed = false) {
  freeze(1303);
  const { m, raw } = await load(pkg);
  const top = raw.g.value;
  const mem = () => Buffer.from(raw.memory.buffer);
  const where = (x) => { const b = mem(), r = { stack: 0, heap: 0 }; let i = -1; while ((i = b.indexOf(x, i + 1)) >= 0) r[i < top ? "stack" : "heap"]++; return r; };
  const c = new m.OAuthClient({ clientId: "cid", redirectUri, provider: "custom", endpoints, ...(keyed ? { stateKey: KEY } : {}) });
  const payload = "PAYLOAD-review130-" + "p".repeat(14);
  const f = c.startAuthorization({ payload });
  const pf = pendingFields(f.pending);
  const verifier = pf.fields[5];
  const code = "CODE-review130-" + "c".repeat(20);
  const derived = hmacDerived(KEY);
  const scan = () => ({
    code: where(code), state: where(f.state), verifier: where(verifier), verifierRaw: where(b64d(verifier)), pending: where(f.pending.slice(3, 40)),
    key: where(KEY), payload: where(payload), refusedCode: where("CODE-refused-review130"),
    ...Object.fromEntries(Object.entries(derived).map(([k, v]) => ["key:" + k, where(v)])),
  });
  const afterStart = scan();
  const r = outcome(() => c.parseCallback(`${redirectUri}?code=${code}&state=${f.state}`, f.pending));
  const afterCallback = scan();
  outcome(() => c.parseCallback(`${redirectUri}?code=CODE-refused-review130&state=${f.state}x`, f.pending));
  const afterRefused = scan();
  // A forged pending value with a wrong seal: is the seal it should have had (a MAC the attacker could not make)
  // left in memory? And a forged state's.
  let forgedSeal = null, forgedSig = null, right = null, rightSig = null;
  if (keyed) {
    const pf = pendingFields(f.pending);
    pf.fields[6] = "forged-review130";
    const forged = forge(pf.created, pf.fields);
    right = b64d(seal(forged, KEY).split(".").pop());
    outcome(() => c.parseCallback(`${redirectUri}?code=x&state=${f.state}`, forged + "." + b64(Buffer.alloc(32))));
    forgedSeal = where(right);
    const body = f.state.split(".")[0].slice(0, -2) + "AA";
    rightSig = b64d(sign(body, KEY).split(".").pop());
    pf.fields[3] = body + "." + b64(Buffer.alloc(32));
    pf.fields[6] = null;
    outcome(() => c.parseCallback(`${redirectUri}?code=x&state=${pf.fields[3]}`, seal(forge(pf.created, pf.fields), KEY)));
    forgedSig = where(rightSig);
  }
  c.free();
  const afterFree = scan();
  if (keyed) Object.assign(afterFree, { forgedSeal: where(right), forgedSig: where(rightSig) });
  return { ok: r.code === code, afterStart, afterCallback, afterRefused, afterFree, forgedSeal, forgedSig, top };
}

/** 4: `n` starts with fuzzed options (scopes, payloads of every length to past the limit, Unicode, params, token
 * kinds) on clients with and without state keys, every provider: each answer (url, state, pending, or the error)
 * hashed; then each start's callback parsed back (its payload, flow id and expiry). */
export async function pageStarts(pkg, seed = 1304, n = 2000) {
  const { next } = freeze(seed);
  const { m } = await load(pkg);
  const base = { clientId: "cid", redirectUri };
  const cs = [
    { ...base, provider: "custom", endpoints }, { ...base, provider: "custom", endpoints, stateKey: KEY }, { ...base, provider: "custom", endpoints, stateKey: [KEY2, KEY] },
    { ...base, provider: "custom", endpoints, preset: { pkce: "unsupported" } }, { ...base, provider: "custom", endpoints, preset: { pkce: "supported", issuer: ISS } },
    { ...base, provider: "payout" }, { ...base, provider: "payout", environment: "sandbox-id" }, { ...base, provider: "factorial" }, { ...base, provider: "payfit" },
    { ...base, provider: "billit", environment: "sandbox" }, { ...base, provider: "tropipay" }, { clientId: "c".repeat(512), redirectUri: redirectUri + "/" + "r".repeat(3000), provider: "custom", endpoints },
  ].map((o) => new m.OAuthClient(o));
  const pick = (a) => a[next() % a.length];
  const text = (len) => { let t = ""; const al = ["a", "Z", "0", " ", "&", "=", "%", "+", "é", "✓", "😀", "\u0000", "\"", "\\", "."]; for (let i = 0; i < len; i++) t += pick(al); return t; };
  const answers = [], tally = {};
  for (let k = 0; k < n; k++) {
    const c = pick(cs);
    const o = {};
    if (next() % 2) o.scopes = Array.from({ length: next() % 5 }, () => pick(["a", "b:c", "read", "x".repeat(next() % 40), "a b", ""]));
    if (next() % 2) o.payload = pick([text(next() % 40), "p".repeat(pick([0, 1, 2047, 2048, 2049])), "é".repeat(1024), "é".repeat(1025), text(700)]);
    if (next() % 3 === 0) o.params = { [pick(["login_hint", "prompt", "state", "x", "code_challenge", "nonce"])]: text(next() % 20) };
    if (next() % 5 === 0) o.tokenKind = pick(["company", "user", "x"]);
    const r = outcome(() => c.startAuthorization(o));
    let back = null;
    if (r && r.state) back = outcome(() => c.parseCallback(`${redirectUri}?code=C${k}&state=${encodeURIComponent(r.state)}`, r.pending));
    answers.push([r, back]);
    const key = Array.isArray(r) ? r[2] : back && !Array.isArray(back) ? "ok" : "back:" + (back && back[2]);
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return { n, sha: hash(answers), tally };
}

/** 5: the shipped page module's constant-time compare (`ct::eq`, subtle's `ct_eq` with its volatile read): the
 * function bodies equal to `body` (hex), the functions that call one of them, and the exports' function indices. The
 * module imports no function, so a body's index in the code section is its function index. */
export async function compares(pkg, body) {
  const { readFileSync } = await import("node:fs");
  const bytes = readFileSync(new URL("page/partner_oauth_bg.wasm", pkg));
  const leb = (b, at) => { let v = 0, s = 0, x; do { x = b[at++]; v += (x & 127) * 2 ** s; s += 7; } while (x & 128); return [v, at]; };
  const bodies = [], exports = {};
  let imports = 0;
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    if (id === 2) imports = leb(bytes, start)[0];
    if (id === 7) {
      let [n, p] = leb(bytes, start);
      for (let i = 0; i < n; i++) {
        const [len, q] = leb(bytes, p);
        const name = bytes.subarray(q, q + len).toString();
        const kind = bytes[q + len];
        const [index, r] = leb(bytes, q + len + 1);
        if (kind === 0) exports[name] = index;
        p = r;
      }
    }
    if (id === 10) {
      let [n, p] = leb(bytes, start);
      for (let i = 0; i < n; i++) {
        const [len, q] = leb(bytes, p);
        bytes.subarray(q, q + len);
        bodies.push(Buffer.from(bytes.subarray(q, q + len)));
        p = q + len;
      }
    }
    at = start + size;
  }
  // A body up to a renaming of its declared locals (scripts/order-locals.mjs numbers them for gzip): the declared
  // locals renumbered by first use, the parameters (the indices below the declared ones) kept. Only the opcodes a
  // compare like ct_eq's uses are read; a body with any other is never the same.
  const canonical = (b) => {
    let [groups, at] = leb(b, 0), declared = 0;
    for (let g = 0; g < groups; g++) { const [n, next] = leb(b, at); declared += n; at = next + 1; }
    const MEMARG = new Set([0x28, 0x2d, 0x36, 0x3a]), PLAIN = new Set([0x05, 0x0b, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x6a, 0x6b, 0x71, 0x72, 0x73, 0xc0]);
    const ops = [];
    while (at < b.length) {
      const op = b[at++];
      if (op >= 0x20 && op <= 0x24 || op === 0x0c || op === 0x0d) { const [i, next] = leb(b, at); ops.push([op, i]); at = next; }
      else if (op === 0x02 || op === 0x03 || op === 0x04) ops.push([op, b[at++]]);
      else if (op === 0x41) { const start = at; while (b[at++] & 128); ops.push([op, b.subarray(start, at).toString("hex")]); }
      else if (MEMARG.has(op)) { const [align, next] = leb(b, at); const [offset, end] = leb(b, next); ops.push([op, align, offset]); at = end; }
      else if (PLAIN.has(op)) ops.push([op]);
      else return null;
    }
    const used = ops.filter(([op]) => op >= 0x20 && op <= 0x22).map(([, i]) => i);
    const params = Math.max(-1, ...used) + 1 - declared;
    const names = new Map();
    for (const i of used) if (i >= params && !names.has(i)) names.set(i, params + names.size);
    return JSON.stringify([declared, params, ops.map(([op, ...rest]) => (op >= 0x20 && op <= 0x22 ? [op, names.get(rest[0]) ?? rest[0]] : [op, ...rest]))]);
  };
  // The same body up to scripts/commute.mjs' operand orders too: its expressions as trees, a commutative operator's
  // operands sorted and a gt/ge written as the lt/le it mirrors (commute's own rule). Read in evaluation order only
  // (review 152): a body holding a value on the stack across a statement (a set, a store, a branch's test) is never
  // the same, since the tree would put a read after the write it preceded; operands are reordered only when neither
  // holds a `local.tee` or one is a constant, for the same reason. The declared locals are then named by their first
  // appearance in the sorted trees (a swap changes which is used first), sorting by the trees with every declared
  // local as one name; the parameters, every opcode, constant, memarg and branch stay.
  const commuted = (b) => {
    let [groups, at] = leb(b, 0), declared = 0;
    for (let g = 0; g < groups; g++) { const [n, next] = leb(b, at); declared += n; at = next + 1; }
    const text = canonical(b);
    if (text === null) return null;
    const [, params, ops] = JSON.parse(text);
    const SORT = new Set([0x46, 0x47, 0x6a, 0x71, 0x72, 0x73]), MIRROR = { 0x4a: 0x48, 0x4b: 0x49, 0x4e: 0x4c, 0x4f: 0x4d };
    const local = (i) => (i < params ? `p${i}` : `L#${i}`);
    const key = (e) => e.replace(/L#\d+/g, "L");
    const constant = (e) => /^(65|35)\([^()]*\)$/.test(e);
    const free = (p, q) => (!p.includes("tee(") && !q.includes("tee(")) || constant(p) || constant(q);
    const stack = [], out = [];
    let held = false;
    const pop = () => stack.pop() ?? "?";
    const statement = (s) => { if (stack.length) held = true; out.push(s); };
    for (const [op, ...rest] of ops) {
      if (op === 0x20) stack.push(`get(${local(rest[0])})`);
      else if (op === 0x23 || op === 0x41) stack.push(`${op}(${rest})`);
      else if (op === 0x22) stack.push(`tee(${local(rest[0])},${pop()})`);
      else if (op === 0x28 || op === 0x2d || op === 0xc0) stack.push(`${op}(${rest};${pop()})`);
      else if ((op >= 0x46 && op <= 0x4f) || op === 0x6a || op === 0x6b || (op >= 0x71 && op <= 0x73)) {
        let [o, q, p] = [op, pop(), pop()];
        if (MIRROR[o] && free(p, q)) [o, p, q] = [MIRROR[o], q, p];
        if (SORT.has(o) && free(p, q) && (key(p) > key(q) || (key(p) === key(q) && p > q))) [p, q] = [q, p];
        stack.push(`${o}(${p},${q})`);
      } else if (op === 0x21) { const v = pop(); statement(`set(${local(rest[0])},${v})`); }
      else if (op === 0x24) { const v = pop(); statement(`gset(${rest[0]},${v})`); }
      else if (op === 0x36 || op === 0x3a) { const v = pop(), a = pop(); statement(`${op}(${rest};${a},${v})`); }
      else if (op === 0x04 || op === 0x0d) { const v = pop(); statement(`${op}(${rest};${v})`); }
      else out.push(...stack.splice(0).map((e) => `value(${e})`), `${op}(${rest})`);
    }
    if (held) return null;
    const all = JSON.stringify([declared, params, [...out, ...stack.map((e) => `value(${e})`)]]);
    const names = new Map();
    return all.replace(/L#(\d+)/g, (_, i) => (names.has(i) || names.set(i, `L${names.size}`), names.get(i)));
  };
  const pinned = canonical(Buffer.from(body, "hex"));
  if (pinned === null) throw new Error("compares: the pinned body has an opcode canonical() does not read");
  const pinnedCommuted = commuted(Buffer.from(body, "hex"));
  const same = bodies.flatMap((b, i) => (canonical(b) === pinned || commuted(b) === pinnedCommuted ? [i] : []));
  // A call as binaryen reads it (its text names a function by its index): a byte pattern (0x10 and the index) also
  // matched an `i32.const 16` before a load once the compare's index was 40 (0x28, `i32.load`).
  const { execFileSync } = await import("node:child_process");
  const text = execFileSync(new URL("../../scripts/node_modules/.bin/wasm-dis", import.meta.url).pathname, ["--all-features", new URL("page/partner_oauth_bg.wasm", pkg).pathname], { encoding: "utf8", maxBuffer: 1 << 28 });
  const funcs = text.split(/\n(?= \(func \$\d+ )/).filter((part) => part.startsWith(" (func $"));
  if (funcs.length !== bodies.length) throw new Error(`compares: binaryen read ${funcs.length} functions, the code section has ${bodies.length}`);
  const callers = (i) => funcs.flatMap((f, j) => (new RegExp(`\\(call \\$${i}(?=\\s|\\))`).test(f) ? [j] : []));
  const ct = same[0];
  const direct = ct === undefined ? [] : callers(ct);
  return { imports, functions: bodies.length, same, direct, indirect: direct.map((d) => [d, callers(d)]), exports };
}

/** Finding A, minimal: a page client with a stateKey of 32 distinct-looking bytes starts, parses its callback and is
 * freed; the key, XOR 0x5c (HMAC's opad block), is looked for in the module's memory and read back. */
export async function keyAfterFree(pkg) {
  freeze(1305);
  const { m, raw } = await load(pkg);
  const key = "Zq8!rT2#wX9@mN4$bV7%cL1^dK6&fH3*";
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey: key });
  const f = c.startAuthorization({});
  c.parseCallback(`${redirectUri}?code=x&state=${f.state}`, f.pending);
  c.free();
  const mem = Buffer.from(raw.memory.buffer);
  const at = mem.indexOf(Buffer.from(key).map((x) => x ^ 0x5c));
  return { key: mem.includes(key), opad: at >= 0 ? (at < raw.g.value ? "stack" : "heap") : null, recovered: at >= 0 ? Buffer.from(mem.subarray(at, at + 32)).map((x) => x ^ 0x5c).toString() === key : false };
}
