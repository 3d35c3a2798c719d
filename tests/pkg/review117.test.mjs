// Review 117 (outside reviewer on js35's JS size work, `git diff f01fede 5b77c6f -- src/wasm/options.js src/wasm/raw.js
// src/wasm/raw.rs pkg-template`, merged at d8a6629): options.js' copy() now answers undefined, not a NOT_PLAIN symbol,
// for what JSON would not give back, its schemas and put() written in place, String.prototype.isWellFormed taken as
// `hasOwn && String.prototype.isWellFormed`; raw.js names the wasm's exports by one letter, holds a client's handle
// as [handle], and its init takes the source itself. No finding confirmed. The expected values are f01fede's package's
// (built in a second clone), except where a test says otherwise. These pin what held.
import { test } from "node:test";
import assert from "node:assert/strict";
import { child } from "./region.mjs";

// The generator of hostile options (seeded): a mostly valid base, then values at random paths among every option
// name, nested and not, unknown names, "__proto__" (own, and once in a while assigned), "toJSON", lone-surrogate
// names, secret-looking names; values: strings (lone surrogates, secrets, choices), numbers (NaN, ±Infinity, -0,
// 2^53+2, 2^64, 1e21), booleans, null, undefined, Symbol, BigInt, functions, Date, boxed primitives, null-prototype
// objects, Map, RegExp, toJSON (function and not), class instances, frozen objects, holes, arrays with extra
// properties; own getters answering differently on the second read, throwing getters, non-enumerable and symbol
// keys; Proxies (transparent, `get` answering "flip" from the third read, `ownKeys` and `getPrototypeOf`
// answering differently on the second call). In the trap-log runs every object is a Proxy logging each trap.
const GEN = "// Shared deterministic generator of hostile option values (review 117).\nexport function rng(seed) {\n  let s = seed >>> 0;\n  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };\n}\nexport const SECRET = \"client-secret-SECRET-0001\", KEY = \"k\".repeat(28) + \"KEY1\", CODE = \"CODE-SECRET-77\";\nconst STR = [\"\", \"a\", \"billit\", \"custom\", \"payfit\", \"factorial\", \"sandbox\", \"production\", \"https://as.example/a\", \"https://as.example/t\", \"https://app.example/cb\", \"\\uD800\", \"a\\uDC00b\", \"\\u{1F600}\", \"é\", \"required\", \"basic\", \"json\", \"rfc7662\", \"refresh_token\", \"authorization_code\", KEY, SECRET, \"__proto__\", \"toJSON\", \" \", \"\\u0000\", \"x\".repeat(70)];\nconst NUM = [0, 1, -1, 1.5, NaN, Infinity, -Infinity, -0, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 2 ** 64 - 2048, 1e21, 3600, 1e300];\nexport const NAMES = [\"provider\", \"environment\", \"clientId\", \"clientSecret\", \"redirectUri\", \"stateKey\", \"endpoints\", \"preset\", \"stateMaxAge\", \"timeoutMs\", \"dangerouslyAllowSecretInBrowser\",\n  \"authorize\", \"token\", \"introspect\", \"revoke\", \"api\", \"responseType\", \"pkce\", \"clientAuth\", \"tokenBody\", \"redirectUriQueryAllowed\", \"neverExpires\", \"defaultLifetime\", \"refreshTokenLifetime\", \"introspection\", \"grants\", \"scopeSeparator\", \"authorizeParams\", \"codeParams\", \"issuer\",\n  \"scopes\", \"payload\", \"tokenKind\", \"params\",\n  \"__proto__\", \"constructor\", \"toJSON\", \"a\\uD800\", \"\\uDFFFz\", \"unknown_x\", \"x-y\", \"hasOwnProperty\", \"0\", \"length\", KEY, \"pre\" + SECRET, \"\\u{1F600}\", \"\"];\nexport function gen(r, { proxies = true, log = null, mild = false } = {}) {\n  const pick = (a) => a[Math.floor(r() * a.length)];\n  const atom = () => {\n    const k = r();\n    if (k < 0.45) return pick(STR);\n    if (k < 0.6) return pick(NUM);\n    if (k < 0.7) return r() < 0.5;\n    if (k < 0.75) return null;\n    if (k < 0.78) return undefined;\n    const odd = [() => Symbol(\"s\"), () => 10n, () => function f() {}, () => new Date(0), () => new String(\"a\"), () => new Number(1), () => new Boolean(true), () => Object.create(null), () => new Map(), () => /re/, () => ({ toJSON() { return \"x\"; } }), () => ({ toJSON: \"v\" }), () => new (class K {})(), () => Object.assign(Object.create(null), { a: \"b\" }), () => Object.freeze({ a: \"b\" }), () => [undefined], () => [, \"a\"], () => Object.assign([\"a\"], { extra: 1 })];\n    return pick(odd)();\n  };\n  const value = (depth) => {\n    if (depth > 3 || r() < 0.5) return atom();\n    if (r() < 0.4) { const n = Math.floor(r() * 4); const a = []; for (let i = 0; i < n; i++) a.push(r() < 0.7 ? pick(STR) : value(depth + 1)); return wrap(a); }\n    const o = {}; const n = Math.floor(r() * 4); for (let i = 0; i < n; i++) put(o, pick(NAMES), value(depth + 1)); return wrap(o);\n  };\n  const put = (o, name, v) => {\n    const k = r();\n    if (name === \"__proto__\" && k < 0.02) o[name] = v;\n    else if (name === \"__proto__\" || k < 0.05) Object.defineProperty(o, name, { value: v, enumerable: r() < 0.9, configurable: true, writable: true });\n    else if (k < 0.12) { let n = 0; const alt = atom(); Object.defineProperty(o, name, { get: () => (n++ === 0 ? v : alt), enumerable: true, configurable: true }); }\n    else if (k < 0.14) Object.defineProperty(o, name, { get: () => { throw new Error(\"getter-\" + name); }, enumerable: true, configurable: true });\n    else if (k < 0.16) o[Symbol(name)] = v;\n    else Object.defineProperty(o, name, { value: v, enumerable: true, configurable: true, writable: true });\n  };\n  const wrap = (o) => {\n    if (!proxies) return o;\n    const k = r();\n    if (log) return new Proxy(o, logger(log));\n    if (k < 0.05) return new Proxy(o, {});\n    if (k < 0.08) { let n = 0; return new Proxy(o, { get: (t, p, rc) => (n++ < 2 ? Reflect.get(t, p, rc) : \"flip\") }); }\n    if (k < 0.09) { let n = 0; return new Proxy(o, { ownKeys: (t) => (n++ === 0 ? Reflect.ownKeys(t) : [\"zzz\"]) }); }\n    if (k < 0.10) { let n = 0; return new Proxy(o, { getPrototypeOf: (t) => (n++ === 0 ? Reflect.getPrototypeOf(t) : null) }); }\n    return o;\n  };\n  // A mostly valid base, then mutations at random paths.\n  const client = () => {\n    const o = r() < 0.5 ? { provider: \"billit\", clientId: \"c\", redirectUri: \"https://app.example/cb\" } : { provider: \"custom\", clientId: \"c\", redirectUri: \"https://app.example/cb\", endpoints: { authorize: \"https://as.example/a\", token: \"https://as.example/t\" } };\n    if (r() < 0.3) o.stateKey = r() < 0.5 ? KEY : [KEY, \"j\".repeat(32)];\n    if (r() < 0.3) o.clientSecret = SECRET;\n    if (r() < 0.3) o.preset = { pkce: \"required\", grants: [\"authorization_code\"], authorizeParams: { a: \"b\" }, codeParams: [\"x\"] };\n    const m = mild ? Math.floor(r() * 2) : 1 + Math.floor(r() * 3);\n    for (let i = 0; i < m; i++) mutate(o);\n    return wrapDeep(o);\n  };\n  const start = () => {\n    const o = r() < 0.5 ? {} : { scopes: [\"a\", \"b\"], payload: \"p\", params: { x: \"y\" } };\n    const m = Math.floor(r() * 3);\n    for (let i = 0; i < m; i++) mutate(o);\n    return wrapDeep(o);\n  };\n  const mutate = (o) => {\n    let t = o;\n    for (const f of [\"endpoints\", \"preset\", \"authorizeParams\", \"params\"]) { const d = Object.getOwnPropertyDescriptor(t, f); if (d && \"value\" in d && d.value && typeof d.value === \"object\" && !Array.isArray(d.value) && !Object.isFrozen(d.value) && r() < 0.4) t = d.value; }\n    const k = r();\n    const name = k < 0.7 ? pick(NAMES.slice(0, 34)) : pick(NAMES);\n    if (r() < 0.15) delete t[name]; else put(t, name, value(1));\n  };\n  const wrapDeep = (o) => (r() < 0.08 ? wrap(o) : o);\n  return { client, start, value, atom };\n}\nexport function logger(log) {\n  const n = (p) => (typeof p === \"symbol\" ? p.toString() : String(p));\n  return {\n    get: (t, p, rc) => { log.push(\"get \" + n(p)); return Reflect.get(t, p, rc); },\n    has: (t, p) => { log.push(\"has \" + n(p)); return Reflect.has(t, p); },\n    ownKeys: (t) => { log.push(\"ownKeys\"); return Reflect.ownKeys(t); },\n    getOwnPropertyDescriptor: (t, p) => { log.push(\"gopd \" + n(p)); return Reflect.getOwnPropertyDescriptor(t, p); },\n    getPrototypeOf: (t) => { log.push(\"proto\"); return Reflect.getPrototypeOf(t); },\n  };\n}\n";

// Held: options.js (the full build's copy, which the page build imports too) writes the same record, throws the same
// error code and message (or lets the same getter's or trap's throw through), and makes the same trap calls in the
// same order as f01fede's, for 4 x 44,320 cases (4 x 40,000 generated client and start options, 4 x 4,000 of them
// through logging Proxies, and nesting 60-5,000 deep as objects and arrays with five leaves, at the top, in params
// and in preset.authorizeParams, and 25 top-level values: cycles, toJSON, parsed __proto__, Proxies...).
const RECORDS = "// node records.mjs <pkgdir> <seed> <count>: clientOptions/startOptions records, errors and proxy trap logs.\nimport { createHash } from \"node:crypto\";\nimport { readdirSync } from \"node:fs\";\nconst { rng, gen, logger, SECRET, KEY, CODE } = await import(\"data:text/javascript,\" + encodeURIComponent(GEN));\nconst dir = pkg.replace(/\\/pkg\\/$/, \"\");\n\nconst [seed, count] = [SEED, COUNT];\nconst snip = readdirSync(new URL(dir + \"/pkg/snippets\"))[0];\nconst opts = await import(`${dir}/pkg/snippets/${snip}/src/wasm/options.js`);\nconst lines = [];\nlet accepted = 0, refused = 0, thrownOther = 0, leaks = [];\nconst run = (f, v) => { try { accepted++; return \"OK \" + f(v); } catch (e) { accepted--; if (e?.name === \"OAuthError\") { refused++; if ([SECRET, KEY, \"j\".repeat(32)].some((s) => String(e.message).includes(s))) leaks.push(e.message); return `${e.code}: ${e.message}`; } thrownOther++; return `${e?.constructor?.name}: ${e?.message}`; } };\nfor (const [what, f] of [[\"client\", opts.clientOptions], [\"start\", opts.startOptions]]) {\n  const r = rng(seed + (what === \"start\" ? 7 : 0));\n  const g = gen(r);\n  for (let i = 0; i < count; i++) lines.push(what + \" \" + run(f, g[what]()));\n  // The same shapes through logging proxies: the trap sequence.\n  const r2 = rng(seed + 99 + (what === \"start\" ? 7 : 0));\n  for (let i = 0; i < count / 10; i++) { const log = []; const g2 = gen(r2, { log }); const v = g2[what](); lines.push(what + \"P \" + run(f, v) + \" | \" + log.join(\",\")); }\n}\n// Depth and top-level values.\nconst nest = (n, leaf, arr) => { let v = leaf; for (let i = 0; i < n; i++) v = arr ? [v] : { a: v }; return v; };\nfor (const n of [60, 61, 62, 63, 64, 65, 66, 100, 5000]) for (const arr of [false, true]) for (const leaf of [\"x\", \"\\uD800\", undefined, NaN, 1]) {\n  lines.push(`depth ${n} ${arr} ` + run(opts.startOptions, { params: nest(n, leaf, arr) }));\n  lines.push(`depthC ${n} ${arr} ` + run(opts.clientOptions, { provider: \"billit\", clientId: \"c\", preset: { authorizeParams: nest(n, leaf, arr) } }));\n  lines.push(`depthT ${n} ${arr} ` + run(opts.startOptions, nest(n, leaf, arr)));\n}\nconst cyc = { a: 1 }; cyc.self = cyc;\nfor (const v of [undefined, null, 0, 1, NaN, \"\", \"s\", \"\\uD800\", true, Symbol(), 10n, () => 1, [], [\"a\"], new Date(0), Object.create(null), new Map(), cyc, { toJSON: () => ({}) }, { toJSON: () => ({ scopes: [\"a\"] }) }, JSON.parse('{\"__proto__\":{\"x\":1}}'), JSON.parse('{\"__proto__\":\"a\"}'), JSON.parse('{\"toJSON\":\"a\"}'), new Proxy({}, {}), new Proxy([], {})]) {\n  lines.push(\"top \" + run(opts.startOptions, v));\n  lines.push(\"topC \" + run(opts.clientOptions, v));\n}\nconst text = lines.join(\"\\n\");\nconsole.log(JSON.stringify({ cases: lines.length, accepted, refused, thrownOther,  hash: createHash(\"sha256\").update(text).digest(\"hex\").slice(0, 16) }));\n";
const EXPECTED_RECORDS = {
  "1": {
    "cases": 44320,
    "accepted": 11825,
    "refused": 31094,
    "thrownOther": 1401,
    "hash": "7c35c417c8b90458"
  },
  "2": {
    "cases": 44320,
    "accepted": 11888,
    "refused": 31040,
    "thrownOther": 1392,
    "hash": "02886f5fff6cc000"
  },
  "3": {
    "cases": 44320,
    "accepted": 11881,
    "refused": 30997,
    "thrownOther": 1442,
    "hash": "17fe26e1f7389970"
  },
  "4": {
    "cases": 44320,
    "accepted": 12021,
    "refused": 30860,
    "thrownOther": 1439,
    "hash": "e9f9801b11f0c36a"
  }
};
for (const seed of Object.keys(EXPECTED_RECORDS)) {
  test(`review117 (held): options.js records, refusals and trap logs as f01fede's (seed ${seed})`, () => {
    assert.deepEqual(child(`const GEN = ${JSON.stringify(GEN)};\nconst SEED = ${seed}, COUNT = 20000;\n` + RECORDS), EXPECTED_RECORDS[seed]);
  });
}

// Held: both builds' public API (constructor, provider, environment, startAuthorization, parseCallback, free, the
// PKCE exports) with the same random bytes and clock answer 1,500 generated client and start options per build as
// f01fede's did (the whole output hashed), with Object.prototype or Array.prototype polluted, or globals wrapped,
// before the package loads or after: toJSON on Object.prototype (every option object refused, fail closed),
// Object.prototype fields under the option names (none stands in for a field; an array's hole reads them, as JSON's
// does), Object.prototype getters and setters, Array.prototype index accessors (everything refused, fail closed),
// Array.prototype's methods and iterator wrapped and toJSON, String.prototype.isWellFormed replaced, RegExp's test
// and exec (the lone-surrogate check's calls first since the thirty-fifth session; its hasOwn at load gone too), Object.keys, Array.isArray, Object.getPrototypeOf, JSON.stringify, Number.isFinite, Object.hasOwn,
// charCodeAt, String.prototype.includes and TextEncoder's encode. No OAuthError's message or inspect() holds the
// case's clientSecret, stateKey or the callback's code (leaks=0); a fresh client works after each run (alive=pp).
// (Omitted: Object.prototype fields and Array.prototype accessors planted before load, which break Node's own loader.)
const API = "// node api.mjs <pkgdir> <pollution> <before|after> <count>: both builds' public API answers for generated options.\nimport { createHash } from \"node:crypto\";\nimport { readdirSync } from \"node:fs\";\nimport { inspect } from \"node:util\";\nconst { rng, gen, logger, SECRET, KEY, CODE } = await import(\"data:text/javascript,\" + encodeURIComponent(GEN));\nconst dir = pkg.replace(/\\/pkg\\/$/, \"\");\nconst [pol, when, count] = [POL_NAME, WHEN, COUNT];\nlet s = 11;\nObject.defineProperty(globalThis.crypto, \"getRandomValues\", { value: (a) => { const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength); for (let i = 0; i < u.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; u[i] = s >>> 24; } return a; }, configurable: true, writable: true });\nDate.now = () => 1765000000000;\nlet hitText = \"\";\nlet inHit = false;\nconst hits = { push: (x) => { if (inHit) return; inHit = true; if (hitText.indexOf(x + \";\") < 0) hitText += x + \";\"; inHit = false; } };\nconst POL = {\n  none() {},\n  protoToJSON() { Object.prototype.toJSON = function () { hits.push(\"toJSON\"); return { provider: \"evil\" }; }; },\n  protoFields() { for (const n of [\"provider\", \"clientId\", \"redirectUri\", \"stateKey\", \"clientSecret\", \"scopes\", \"payload\", \"params\", \"endpoints\", \"preset\", \"authorize\", \"pkce\", \"0\", \"module_or_path\", \"module\"]) Object.prototype[n] = \"https://evil.example/\"; },\n  protoGetters() { for (const n of [\"provider\", \"clientId\", \"redirectUri\", \"stateKey\", \"clientSecret\", \"scopes\", \"payload\", \"params\", \"endpoints\", \"preset\", \"toJSON\"]) Object.defineProperty(Object.prototype, n, { get() { hits.push(\"get \" + n); return undefined; }, set(v) { hits.push(\"set \" + n); }, configurable: true }); },\n  arrayIndex() { for (let i = 0; i < 4; i++) Object.defineProperty(Array.prototype, i, { get() { hits.push(\"aget \" + i); return \"evil\"; }, set(v) { hits.push(\"aset \" + i); }, configurable: true }); },\n  arrayMethods() { for (const m of [\"push\", \"map\", \"every\", \"includes\", \"indexOf\", \"join\", \"pop\", \"some\"]) { const o = Array.prototype[m]; Array.prototype[m] = function (...a) { hits.push(\"A.\" + m); return o.apply(this, a); }; } const it = Array.prototype[Symbol.iterator]; Array.prototype[Symbol.iterator] = function () { hits.push(\"A.iter\"); return it.call(this); }; Array.prototype.toJSON = function () { hits.push(\"A.toJSON\"); return [\"evil\"]; }; },\n  wellFormedSwap() { delete String.prototype.isWellFormed; Object.prototype.isWellFormed = function () { hits.push(\"isWellFormed\"); return true; }; },\n  wellFormedReplaced() { String.prototype.isWellFormed = function () { hits.push(\"S.isWellFormed\"); return true; }; },\n  regex() { const t = RegExp.prototype.test; RegExp.prototype.test = function (x) { hits.push(\"test \" + this.source); return t.call(this, x); }; const e = RegExp.prototype.exec; RegExp.prototype.exec = function (x) { hits.push(\"exec \" + this.source); return e.call(this, x); }; },\n  globals() { const k = Object.keys; Object.keys = (o) => { hits.push(\"keys\"); return k(o); }; const ia = Array.isArray; Array.isArray = (o) => { hits.push(\"isArray\"); return ia(o); }; const gp = Object.getPrototypeOf; Object.getPrototypeOf = (o) => { hits.push(\"gpo\"); return gp(o); }; const sf = JSON.stringify; JSON.stringify = (...a) => { hits.push(\"stringify\"); return sf(...a); }; const nf = Number.isFinite; Number.isFinite = (x) => { hits.push(\"isFinite\"); return nf(x); }; const ho = Object.hasOwn; Object.hasOwn = (...a) => { hits.push(\"hasOwn\"); return ho(...a); }; },\n  strings() { const c = String.prototype.charCodeAt; String.prototype.charCodeAt = function (i) { hits.push(\"cca\"); return c.call(this, i); }; const en = TextEncoder.prototype.encode; TextEncoder.prototype.encode = function (t) { hits.push(\"encode\"); return en.call(this, t); }; const inc = String.prototype.includes; String.prototype.includes = function (x) { hits.push(\"S.includes\"); return inc.call(this, x); }; },\n};\nif (when === \"before\") POL[pol]();\nconst builds = {};\nfor (const entry of [\"node.js\", \"page-node.js\"]) builds[entry] = await import(`${dir}/pkg/${entry}`);\nif (when === \"after\") POL[pol]();\nlet report = \"\";\nlet leaks = 0;\nconst txt = (x) => (typeof x === \"symbol\" ? \"sym\" : \"\" + x);\nlet caseSecrets = [];\n// The case's secrets joined in one string (no array's push: Array.prototype's indices may be planted).\nconst secretsOf = (o) => { let out = CODE; try { for (const n of [\"clientSecret\", \"stateKey\"]) { const d = Object.getOwnPropertyDescriptor(o, n); const v = d && \"value\" in d ? d.value : undefined; if (typeof v === \"string\") out += \"\\u0001\" + v; else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) { const x = Object.getOwnPropertyDescriptor(v, i)?.value; if (typeof x === \"string\") out += \"\\u0001\" + x; } } } catch {} return out.split(\"\\u0001\").filter((x) => x.length >= 4); };\nconst ser = (f) => { try { return f(); } catch (e) { const t = inspect(e) + txt(e?.message); if (e?.name === \"OAuthError\" && caseSecrets.some((x) => t.includes(x))) { leaks++; console.error(\"LEAK\", e.message); } return e?.name === \"OAuthError\" ? \"E \" + e.code + \": \" + e.message : \"X \" + e?.constructor?.name + \": \" + e?.message; } };\nfor (const entry of [\"node.js\", \"page-node.js\"]) {\n  const m = builds[entry];\n  const r = rng(5), g = gen(r), gm = gen(rng(6), { mild: true });\n  let acc = \"\", n = 0, ok = 0;\n  for (let i = 0; i < count; i++) {\n    const o = i % 2 ? gm.client() : g.client();\n    const so = g.start();\n    caseSecrets = secretsOf(o);\n    n++;\n    acc += \"\\n\" + ser(() => {\n      const c = new m.OAuthClient(o);\n      ok++;\n      const row = c.provider + \"|\" + c.environment + \"|\" + ser(() => { const f = c.startAuthorization(so); return f.url + \"|\" + f.state + \"|\" + f.pending + \"|\" + f.flowId + \"|\" + f.flowExpiresAt + \"|\" + ser(() => { const cb = c.parseCallback(`https://app.example/cb?code=${CODE}&state=${f.state}`, f.pending); return cb.code + \"|\" + cb.state + \"|\" + cb.payload + \"|\" + cb.payloadVerified + \"|\" + cb.flowId; }); });\n      c.free();\n      return row;\n    });\n  }\n  const v = m.newPkceVerifier();\n  const alive = ser(() => { const c = new m.OAuthClient({ provider: \"billit\", clientId: \"c\", redirectUri: \"https://app.example/cb\", stateKey: KEY });\n    const f = c.startAuthorization({ payload: \"pp\" });\n    return c.parseCallback(`https://app.example/cb?code=${CODE}&state=${f.state}`, f.pending).payload; });\n  report += entry + \" n=\" + n + \" ok=\" + ok + \" hash=\" + createHash(\"sha256\").update(acc).digest(\"hex\").slice(0, 16) + \" pkce=\" + v.length + \",\" + m.pkceChallenge(\"a\".repeat(43)) + \" alive=\" + alive + \"; \";\n}\nprocess.stdout.write(report + \"leaks=\" + leaks + \" hits=\" + hitText.slice(0, 300) + \"\\n\");\n";
const EXPECTED_API = [
  ["none after", "node.js n=1500 ok=514 hash=4772e750406bde42 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=514 hash=caf3674bae09e19c pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits="],
  ["protoToJSON before", "node.js n=1500 ok=0 hash=0426659c93bfaec6 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=E invalid_config: client options must be a JSON object; page-node.js n=1500 ok=0 hash=0426659c93bfaec6 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=E invalid_config: client options must be a JSON object; leaks=0 hits=toJSON;"],
  ["protoToJSON after", "node.js n=1500 ok=0 hash=0426659c93bfaec6 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=E invalid_config: client options must be a JSON object; page-node.js n=1500 ok=0 hash=0426659c93bfaec6 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=E invalid_config: client options must be a JSON object; leaks=0 hits=toJSON;"],
  ["protoFields after", "node.js n=1500 ok=514 hash=54f3683544d41b2e pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=514 hash=7e1cda4e4ab08734 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits="],
  ["protoGetters before", "node.js n=1500 ok=515 hash=6cc7fbac34dc03e7 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=515 hash=a5c7718d3abf8866 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits=set clientSecret;get toJSON;set stateKey;set preset;"],
  ["protoGetters after", "node.js n=1500 ok=515 hash=6cc7fbac34dc03e7 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=515 hash=a5c7718d3abf8866 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits=set clientSecret;get toJSON;set stateKey;set preset;"],
  ["arrayIndex after", "node.js n=1500 ok=0 hash=caf807a07dd6b215 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=E invalid_config: client options.provider is required; page-node.js n=1500 ok=0 hash=caf807a07dd6b215 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=E invalid_config: client options.provider is required; leaks=0 hits=aset 0;aset 1;aset 2;aset 3;aget 3;aget 2;aget 1;aget 0;"],
  ["arrayMethods before", "node.js n=1500 ok=302 hash=10e8eb46d8f87d8d pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=302 hash=0ce8dbfd577958d6 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits=A.iter;A.push;A.pop;A.includes;A.some;A.toJSON;A.every;"],
  ["arrayMethods after", "node.js n=1500 ok=302 hash=10e8eb46d8f87d8d pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=302 hash=0ce8dbfd577958d6 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits=A.iter;A.push;A.pop;A.includes;A.some;A.toJSON;A.every;"],
  ["wellFormedSwap after", "node.js n=1500 ok=514 hash=4772e750406bde42 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=514 hash=caf3674bae09e19c pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits="],
  // Thirty-fifth session: the lone-surrogate check is options.js' regex alone; a String.prototype.isWellFormed
  // replaced before load is no longer called (f01fede's answers took it: ok=513, hits=S.isWellFormed).
  ["wellFormedReplaced before", "node.js n=1500 ok=514 hash=4772e750406bde42 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=514 hash=caf3674bae09e19c pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits="],
  ["wellFormedReplaced after", "node.js n=1500 ok=514 hash=4772e750406bde42 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=514 hash=caf3674bae09e19c pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits="],
  ["regex before", "node.js n=1500 ok=514 hash=4772e750406bde42 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=514 hash=caf3674bae09e19c pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits=test [\\uD800-\\uDFFF];exec [\\uD800-\\uDFFF];test ^\\w{0,40}$;exec ^\\w{0,40}$;test ^\\d+$;exec ^\\d+$;"],
  ["regex after", "node.js n=1500 ok=514 hash=4772e750406bde42 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=514 hash=caf3674bae09e19c pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits=test [\\uD800-\\uDFFF];exec [\\uD800-\\uDFFF];test ^\\w{0,40}$;exec ^\\w{0,40}$;test ^\\d+$;exec ^\\d+$;"],
  ["globals before", "node.js n=1500 ok=514 hash=4772e750406bde42 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=514 hash=caf3674bae09e19c pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits=gpo;isArray;hasOwn;isFinite;keys;stringify;"],
  ["globals after", "node.js n=1500 ok=514 hash=4772e750406bde42 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=514 hash=caf3674bae09e19c pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits=isArray;hasOwn;isFinite;gpo;keys;stringify;"],
  ["strings before", "node.js n=1500 ok=514 hash=4772e750406bde42 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=514 hash=caf3674bae09e19c pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits=cca;S.includes;encode;"],
  ["strings after", "node.js n=1500 ok=514 hash=4772e750406bde42 pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; page-node.js n=1500 ok=514 hash=caf3674bae09e19c pkce=43,ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA alive=pp; leaks=0 hits=cca;S.includes;encode;"],
];
const api = (pol, when) => child(`const GEN = ${JSON.stringify(GEN)};\nconst POL_NAME = ${JSON.stringify(pol)}, WHEN = ${JSON.stringify(when)}, COUNT = 1500;\n` + API.replace(/process\.stdout\.write\(report \+ "leaks=" \+ leaks \+ " hits=" \+ hitText\.slice\(0, 300\) \+ "\\n"\);/, 'process.stdout.write(JSON.stringify(report + "leaks=" + leaks + " hits=" + hitText.slice(0, 300)) + "\\n");'));
for (const [name, expected] of EXPECTED_API) {
  test(`review117 (held): both builds answer hostile options as f01fede's under pollution: ${name}`, () => {
    const [pol, when] = name.split(" ");
    assert.equal(api(pol, when), expected);
  });
}

// Held, and better than before: with String.prototype.isWellFormed absent (a platform without it) and one planted
// on Object.prototype before load, f01fede's `const { isWellFormed } = hasOwn ? String.prototype : {}` took the
// planted one from {}'s prototype, and lone surrogates in clientId, a param's name and the payload were accepted
// (written as U+FFFD); review 117's `hasOwn && String.prototype.isWellFormed` fell back to the regex and refused them; since the
// thirty-fifth session the regex is the only check.
// The 1,500 generated cases under that pollution now answer exactly as with none (f01fede's differed: one more accepted).
const WF = "// Before load: String.prototype.isWellFormed removed (a platform without it); in the second run, one planted on\n// Object.prototype that calls every string well formed.\nif (PLANT) Object.prototype.isWellFormed = function () { return true; };\ndelete String.prototype.isWellFormed;\nconst res = {};\nfor (const entry of [\"node.js\", \"page-node.js\"]) {\n  const m = await import(pkg + entry);\n  const base = { provider: \"billit\", clientId: \"c\", redirectUri };\n  const c = new m.OAuthClient(base);\n  res[entry] = [\n    answer(() => new m.OAuthClient({ ...base, clientId: \"a\\uD800\" })),\n    answer(() => new m.OAuthClient({ ...base, preset: { authorizeParams: { [\"k\\uDC00\"]: \"v\" } } })),\n    answer(() => c.startAuthorization({ payload: \"\\uDBFFx\" })),\n    answer(() => c.startAuthorization({ scopes: [\"a\", \"\\uD83D\"] })),\n    typeof c.startAuthorization({ payload: \"\\u{1F600}\" }).url,\n  ];\n}\nconsole.log(JSON.stringify(res));\n";
test("review117 (held): a pre-load Object.prototype.isWellFormed no longer lets lone surrogates through", () => {
  const refused = ["invalid_config", "invalid_config", "invalid_config", "invalid_config", "string"];
  assert.deepEqual(child("const PLANT = false;\n" + WF), { "node.js": refused, "page-node.js": refused });
  assert.deepEqual(child("const PLANT = true;\n" + WF), { "node.js": refused, "page-node.js": refused });
  // f01fede's answers with PLANT = true: [null,null,null,"invalid_argument","string"] in both builds.
  assert.equal(api("wellFormedSwap", "before"), EXPECTED_API.find(([n]) => n === "none after")[1]);
});

// Held: secrets and throws, in both builds, as f01fede's. 3,470 constructor, start and callback cases put the
// clientSecret and both stateKeys (and the code) in every option, nested or not, as values, lists, objects, names
// (exact, prefixed, suffixed, with a lone surrogate) and in URLs: no OAuthError's message, inspect(), JSON or stack
// holds one, nor does the client's, a start's or the module's printed form. What is echoed (pinned, as in f01fede):
// a startAuthorization option *named* as the client's stateKey (the start options' reader knows no client secret)
// and the provider's own error and error_description. A throw in a getter or a Proxy trap (get, ownKeys,
// getOwnPropertyDescriptor, getPrototypeOf) at any option, nested or not, reaches the caller as itself ("boom"), or
// as invalid_config where JSON.stringify's fallback swallows it (as before); after 6,000 such calls the client, a new
// client and the PKCE exports work. Re-entry from a getter while a start's options are read (free, another start, a
// new client, a verifier, a callback; a client made inside a constructor's getter) answers as before.
const MISC = "// node misc.mjs <pkgdir>: secrets in messages, throwing getters and traps, re-entry from getters; both builds.\nimport { inspect } from \"node:util\";\nconst dir = pkg.replace(/\\/pkg\\/$/, \"\");\nconst SECRET = \"client-secret-SECRET-0001\", KEY = \"k\".repeat(28) + \"KEY1\", KEY2 = \"j\".repeat(32), CODE = \"CODE-SECRET-77\";\nconst result = {};\nfor (const entry of [\"node.js\", \"page-node.js\"]) {\n  const m = await import(`${dir}/pkg/${entry}`);\n  const out = (result[entry] = {});\n  const base = () => ({ provider: \"custom\", clientId: \"c\", redirectUri, clientSecret: SECRET, stateKey: [KEY, KEY2], endpoints: { authorize: \"https://as.example/a\", token: \"https://as.example/t\" } });\n  const ans = (f) => { try { const v = f(); return v?.code ?? (typeof v === \"object\" ? \"OK\" : String(v)); } catch (e) { return e?.name === \"OAuthError\" ? `${e.code}: ${e.message}` : `${e?.constructor?.name}: ${e?.message}`; } };\n  // a) Secrets in every place, as values and names.\n  const leaks = [];\n  let cases = 0;\n  const check = (f) => { cases++; try { f(); } catch (e) { const t = inspect(e) + String(e?.message) + JSON.stringify(e) + String(e?.stack); for (const s of [SECRET, KEY, KEY2, CODE]) if (t.includes(s)) leaks.push(e.message); } };\n  const paths = [[], [\"endpoints\"], [\"preset\"], [\"preset\", \"authorizeParams\"]];\n  const names = [\"provider\", \"environment\", \"clientId\", \"redirectUri\", \"stateMaxAge\", \"timeoutMs\", \"dangerouslyAllowSecretInBrowser\", \"authorize\", \"token\", \"introspect\", \"revoke\", \"api\", \"pkce\", \"clientAuth\", \"tokenBody\", \"introspection\", \"grants\", \"scopeSeparator\", \"codeParams\", \"issuer\", \"responseType\", \"defaultLifetime\"];\n  const secretValues = (s) => [s, \"x\" + s, s + \"\\uD800\", [s], [s, 5], { [s]: s }, { a: s }, s.slice(0, 4), \"https://as.example/\" + s, \"https://\" + s + \".example/\", s + \"/\"];\n  const secretNames = (s) => [s, \"x\" + s, s + \"_x\", s + \"-x\", s + \"\\uD800\", s.slice(0, 20)];\n  for (const s of [SECRET, KEY, KEY2]) {\n    for (const path of paths) {\n      for (const name of names) for (const v of secretValues(s)) check(() => { const o = base(); let t = o; for (const p of path) t = t[p] ??= {}; t[name] = v; new m.OAuthClient(o); });\n      for (const n of secretNames(s)) for (const v of [1, s, \"a\"]) check(() => { const o = base(); let t = o; for (const p of path) t = t[p] ??= {}; t[n] = v; new m.OAuthClient(o); });\n    }\n    for (const v of [5, [s, 5], [5, s], { s }, s + \"\\uD800\", [s + \"\\uD800\"]]) { check(() => new m.OAuthClient({ ...base(), clientSecret: v })); check(() => new m.OAuthClient({ ...base(), stateKey: v })); check(() => new m.OAuthClient({ ...base(), stateKey: [KEY, v] })); }\n  }\n  out.secretLeaks = [...new Set(leaks)];\n  const c = new m.OAuthClient(base());\n  for (const s of [SECRET, KEY, KEY2, CODE]) for (const v of secretValues(s)) for (const n of [\"scopes\", \"payload\", \"tokenKind\", \"params\", s, \"x\" + s]) check(() => c.startAuthorization({ [n]: v }));\n  const f = c.startAuthorization({ payload: \"p\" });\n  for (const q of [`code=${CODE}`, `code=${CODE}&state=x`, `code=${CODE}&state=${f.state}x`, `code=${CODE}&code=${CODE}&state=${f.state}`, `error=${CODE}&state=${f.state}`, `error=access_denied&error_description=${CODE}`, `code=${CODE}\\u0000&state=${f.state}`, `code=${CODE}%FF&state=${f.state}`]) for (const p of [f.pending, \"p2.x\", undefined, String(f.pending).slice(0, 40)]) check(() => c.parseCallback(`${redirectUri}?${q}`, p));\n  const printed = [inspect(c), JSON.stringify(c), String(c), inspect(f), JSON.stringify(f), inspect(m), Object.keys(c).join()].join(\"\\n\");\n  out.printedLeaks = [SECRET, KEY, KEY2].filter((s) => printed.includes(s));\n  out.secretCases = cases;\n  out.startAndCallbackEchoes = [...new Set(leaks)];\n  // b) A throw inside a getter or a Proxy trap while options are read: the throw itself, then all still works.\n  const boom = new Error(\"boom\");\n  const thrower = () => { throw boom; };\n  const hostile = [];\n  const at = (path, name) => { const o = base(); let t = o; for (const p of path) t = t[p] ??= {}; Object.defineProperty(t, name, { get: thrower, enumerable: true, configurable: true }); return o; };\n  for (const path of paths) for (const name of [...names, \"clientSecret\", \"stateKey\", \"unknown_x\", \"\\uD800\"]) hostile.push(at(path, name));\n  for (const trap of [\"get\", \"ownKeys\", \"getOwnPropertyDescriptor\", \"getPrototypeOf\", \"has\"]) { hostile.push(new Proxy(base(), { [trap]: thrower })); hostile.push({ ...base(), endpoints: new Proxy({ authorize: \"https://as.example/a\" }, { [trap]: thrower }) }); hostile.push({ ...base(), preset: { grants: new Proxy([\"authorization_code\"], { [trap]: thrower }) } }); }\n  { const { proxy, revoke } = Proxy.revocable(base(), {}); revoke(); hostile.push(proxy); }\n  hostile.push({ ...base(), toJSON: thrower }, { ...base(), x: 1n, y: { toJSON: thrower } }, { ...base(), preset: { toJSON: thrower } }, { ...base(), a: undefined, get b() { throw boom; } });\n  out.ctorThrows = hostile.map((o) => { try { new m.OAuthClient(o); return \"OK\"; } catch (e) { return e === boom ? \"boom\" : e?.name === \"OAuthError\" ? `${e.code}: ${e.message}` : `${e?.constructor?.name}: ${e?.message}`; } });\n  const c2 = new m.OAuthClient(base());\n  const startHostile = [];\n  for (const name of [\"scopes\", \"payload\", \"tokenKind\", \"params\", \"zz\", \"\\uDC00\"]) { const o = { scopes: [\"a\"] }; Object.defineProperty(o, name, { get: thrower, enumerable: true, configurable: true }); startHostile.push(o); startHostile.push({ params: Object.defineProperty({ a: \"b\" }, name, { get: thrower, enumerable: true }) }); }\n  for (const trap of [\"get\", \"ownKeys\", \"getOwnPropertyDescriptor\", \"getPrototypeOf\"]) startHostile.push(new Proxy({ payload: \"p\" }, { [trap]: thrower }), { scopes: new Proxy([\"a\"], { [trap]: thrower }) });\n  out.startThrows = startHostile.map((o) => { try { c2.startAuthorization(o); return \"OK\"; } catch (e) { return e === boom ? \"boom\" : `${e?.code ?? e?.constructor?.name}: ${e?.message}`; } });\n  for (let i = 0; i < 3000; i++) { try { c2.startAuthorization(startHostile[i % startHostile.length]); } catch {} try { new m.OAuthClient(hostile[i % hostile.length]); } catch {} }\n  const f2 = c2.startAuthorization({ payload: \"after\" });\n  out.usable = [ans(() => c2.parseCallback(`${redirectUri}?code=C&state=${f2.state}`, f2.pending).payload), ans(() => c2.provider), ans(() => new m.OAuthClient(base()).startAuthorization({}).url.length), ans(() => m.pkceChallenge(m.newPkceVerifier()).length)];\n  // c) Re-entry from a getter during the reading of a start's options.\n  const reentry = {};\n  const reenter = (act) => { const cl = new m.OAuthClient(base()); let inner; const o = { get payload() { inner = ans(() => act(cl)); return \"p\"; } }; const outer = ans(() => { const r = cl.startAuthorization(o); return r.url.length > 0 ? \"started\" : \"?\"; }); return [outer, inner, ans(() => cl.startAuthorization({}).url.length)]; };\n  reentry.free = reenter((cl) => cl.free());\n  reentry.start = reenter((cl) => cl.startAuthorization({ payload: \"inner\" }).url.length);\n  reentry.ctor = reenter(() => new m.OAuthClient(base()).provider);\n  reentry.pkce = reenter(() => m.newPkceVerifier().length);\n  reentry.callback = reenter((cl) => { const g = cl.startAuthorization({}); return cl.parseCallback(`${redirectUri}?code=C&state=${g.state}`, g.pending).code; });\n  { let inner; const o = { ...base(), get clientId() { inner = ans(() => new m.OAuthClient(base()).startAuthorization({}).url.length); return \"c\"; } }; reentry.ctorInCtor = [ans(() => new m.OAuthClient(o).provider), inner]; }\n  out.reentry = reentry;\n}\nconsole.log(JSON.stringify(result));\n";
const MISC_EXPECTED = {
  "secretLeaks": [],
  "printedLeaks": [],
  "secretCases": 3470,
  "startAndCallbackEchoes": [
    "startAuthorization options: unknown option \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkKEY1\"",
    "startAuthorization options: unknown option \"xkkkkkkkkkkkkkkkkkkkkkkkkkkkkKEY1\"",
    "startAuthorization options: unknown option \"jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj\"",
    "startAuthorization options: unknown option \"xjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj\"",
    "the authorization server returned an error (provider: CODE-SECRET-77)",
    "the user refused consent (provider: access_denied: CODE-SECRET-77)"
  ],
  "ctorThrows": [
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "invalid_config: client options must be a plain object of JSON values",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "invalid_config: client options must be a plain object of JSON values",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "invalid_config: client options must be a plain object of JSON values",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "invalid_config: client options must be a plain object of JSON values",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "OK",
    "boom",
    "boom",
    "OK",
    "boom",
    "boom",
    "boom",
    "OK",
    "OK",
    "OK",
    "TypeError: Cannot perform 'getOwnPropertyDescriptor' on a proxy that has been revoked",
    "invalid_config: client options must be a plain object of JSON values",
    "invalid_config: client options must be a plain object of JSON values",
    "invalid_config: client options must be a plain object of JSON values",
    "invalid_config: client options must be a plain object of JSON values"
  ],
  "startThrows": [
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "boom",
    "invalid_config: startAuthorization options must be a plain object of JSON values",
    "invalid_config: startAuthorization options must be a plain object of JSON values",
    "boom",
    "boom",
    "boom",
    "OK",
    "boom",
    "OK",
    "boom",
    "boom"
  ],
  "usable": [
    "after",
    "custom",
    "267",
    "43"
  ],
  "reentry": {
    "free": [
      "invalid_argument: this client was freed (free() was called)",
      "undefined",
      "invalid_argument: this client was freed (free() was called)"
    ],
    "start": [
      "started",
      "274",
      "267"
    ],
    "ctor": [
      "started",
      "custom",
      "267"
    ],
    "pkce": [
      "started",
      "43",
      "267"
    ],
    "callback": [
      "started",
      "C",
      "267"
    ],
    "ctorInCtor": [
      "custom",
      "267"
    ]
  }
};
test("review117 (held): no secret in messages or printed forms; throws in getters leave everything usable", () => {
  const page = structuredClone(MISC_EXPECTED);
  // The one answer the builds give differently, as f01fede did: a Proxy revoked by a constructor option getter is
  // met first by another trap in the page build.
  page.ctorThrows[119] = "TypeError: Cannot perform 'get' on a proxy that has been revoked";
  assert.deepEqual(child(MISC), { "node.js": MISC_EXPECTED, "page-node.js": page });
});

// Held: the page build's client holds its handle as [handle] (own index 0): accessors planted after load on
// Array.prototype's indices and on Object.prototype.handle are never called for it; start, callback, provider,
// free (twice) and the freed client's refusal answer as f01fede's { handle } did, and another client is untouched.
// The page module exports only its memory and the ten one-letter functions (f01fede: their long names); its stack
// pointer from the twenty-fourth session (raw.js put it back; `g` in the twenty-fifth) to the twenty-sixth, when each
// export began to put it at its top itself.
const CELL = "const dir = pkg.replace(/\\/pkg\\/$/, \"\");\nconst { readFileSync } = await import(\"node:fs\");\nconst exportsOf = (p) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(new URL(p)))).map((e) => e.name + \":\" + e.kind).join(\" \");\nconst m = await import(`${dir}/pkg/page-node.js`);\nconst ans = (f) => { try { const v = f(); return typeof v === \"object\" && v !== null ? (v.url ? \"started\" : \"code=\" + v.code) : String(v); } catch (e) { return e?.name === \"OAuthError\" ? e.code + \": \" + e.message : e?.constructor?.name + \": \" + e?.message; } };\n// Two page clients made, then accessors planted on Array.prototype's first indices and on Object.prototype.handle\n// (the client's cell was { handle } in f01fede, [handle] since js35): null start options skip the options' copy.\nconst a = new m.OAuthClient({ provider: \"billit\", clientId: \"c\", redirectUri });\nconst b = new m.OAuthClient({ provider: \"billit\", clientId: \"c2\", redirectUri });\nlet log = \"\";\nfor (let i = 0; i < 2; i++) Object.defineProperty(Array.prototype, i, { get() { log += \"g\" + i; return 8; }, set(v) { log += \"s\" + i; }, configurable: true });\nObject.defineProperty(Object.prototype, \"handle\", { get() { log += \"gh\"; return 8; }, set(v) { log += \"sh\"; }, configurable: true });\nlet out = \"\";\nconst f = a.startAuthorization(null);\nout += ans(() => f) + \"|\" + ans(() => a.parseCallback(`${redirectUri}?code=C&state=${f.state}`, f.pending)) + \"|\" + ans(() => a.provider);\nout += \"|\" + ans(() => a.free()) + \"|\" + ans(() => a.startAuthorization(undefined)) + \"|\" + ans(() => a.free()) + \"|\" + ans(() => b.startAuthorization(undefined)) + \"|\" + ans(() => b.provider);\nfor (let i = 0; i < 2; i++) delete Array.prototype[i];\nconst handleHits = log.includes(\"gh\") || log.includes(\"sh\");\ndelete Object.prototype.handle;\nout += \"|\" + ans(() => new m.OAuthClient({ provider: \"billit\", clientId: \"c\", redirectUri }).startAuthorization({}).url.length);\nconsole.log(JSON.stringify({ out, handleHits, exports: exportsOf(`${dir}/pkg/page/partner_oauth_bg.wasm`) }));\n";
test("review117 (held): the page client's [handle] ignores planted accessors; the page module's exports", () => {
  const result = child(CELL);
  assert.deepEqual(result, {"out":"started|code=C|billit|undefined|invalid_argument: this client was freed (free() was called)|undefined|started|billit|132","handleHits":false,"exports":"memory:memory a:function c:function d:function f:function h:function n:function p:function s:function t:function v:function"});
  assert.equal(result.out, "started|code=C|billit|undefined|invalid_argument: this client was freed (free() was called)|undefined|started|billit|132", "f01fede's answers");
});
