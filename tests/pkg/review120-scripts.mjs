// Review 120's child scripts (tests/pkg/review120.test.mjs runs them, each in a child Node process started with
// --expose-gc; each takes the package directory's URL `pkg` and answers a JSON-able value). The clock and
// crypto.getRandomValues are fixed inside each script before the package is imported, so answers (states, pending
// values, URLs) are comparable between builds and commits.
import { seededRandom } from "./review118-scripts.mjs";

const NOW = 1765000000000;
const redirectUri = "https://app.example/cb";
const SECRET = "sk-hunter2-SECRET-0123456789";
const KEY = "K".repeat(32);

async function load(pkg, entry) {
  seededRandom(7);
  Date.now = () => NOW;
  return import(pkg + entry);
}

/** f()'s value, or the error's code and message (and any other own field but the stack). */
const ser = (f) => {
  try {
    const v = f();
    return { ok: v };
  } catch (e) {
    if (e?.name !== "OAuthError") return { threw: `${e?.constructor?.name}: ${e?.message}` };
    const r = { err: e.code, msg: e.message };
    for (const k of Object.keys(e)) if (k !== "code" && k !== "message" && e[k] !== undefined) r[k] = e[k];
    return r;
  }
};

// A tracer: Proxies and getters that log every trap or read, in order.
function tracer(log) {
  const wrap = (value, path) => {
    if (value === null || typeof value !== "object") return value;
    return new Proxy(value, {
      get(t, k, r) {
        log.push(`get ${path}.${String(k)}`);
        return wrap(Reflect.get(t, k, r), `${path}.${String(k)}`);
      },
      has(t, k) {
        log.push(`has ${path}.${String(k)}`);
        return Reflect.has(t, k);
      },
      ownKeys(t) {
        log.push(`ownKeys ${path}`);
        return Reflect.ownKeys(t);
      },
      getOwnPropertyDescriptor(t, k) {
        log.push(`gopd ${path}.${String(k)}`);
        return Reflect.getOwnPropertyDescriptor(t, k);
      },
      getPrototypeOf(t) {
        log.push(`proto ${path}`);
        return Reflect.getPrototypeOf(t);
      },
    });
  };
  const getters = (obj, path) => {
    const out = Array.isArray(obj) ? [] : {};
    for (const [k, v] of Object.entries(obj)) {
      Object.defineProperty(out, k, {
        enumerable: true,
        get() {
          log.push(`getter ${path}.${k}`);
          return v !== null && typeof v === "object" ? getters(v, `${path}.${k}`) : v;
        },
      });
    }
    return out;
  };
  return { wrap, getters };
}

const NUMBERS = [0, -0, 1, 7.5, -1, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 64 - 2048, 2 ** 64, 1e21, 1e-7, "5", "", true, [], {}, null];
const NUMBER_FIELDS = [["stateMaxAge"], ["timeoutMs"], ["preset", "defaultLifetime"], ["preset", "refreshTokenLifetime"]];
const custom = { provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://as.example/a", token: "https://as.example/t" } };

/** Client options each number field given each of NUMBERS (and boxed, BigInt), plus hostile shapes. */
function clientCases() {
  const out = [];
  for (const path of NUMBER_FIELDS) {
    for (const v of [...NUMBERS, 5n]) {
      const o = structuredClone(custom);
      if (path.length === 2) o[path[0]] = { [path[1]]: v };
      else o[path[0]] = v;
      out.push([`${path.join(".")}=${typeof v === "bigint" ? "5n" : Object.is(v, -0) ? "-0" : typeof v === "number" ? String(v) : JSON.stringify(v)}`, o]);
    }
    const boxed = structuredClone(custom);
    if (path.length === 2) boxed[path[0]] = { [path[1]]: new Number(5) };
    else boxed[path[0]] = new Number(5);
    out.push([`${path.join(".")}=boxed 5`, boxed]);
  }
  out.push(["secret then unknown", { provider: "billit", clientId: "c", clientSecret: SECRET, ["x" + SECRET]: 1 }]);
  out.push(["key then unknown", { provider: "billit", clientId: "c", stateKey: [KEY], ["a" + KEY]: 1 }]);
  out.push(["unknown after secret in preset", { ...custom, clientSecret: SECRET, preset: { ["q" + SECRET.slice(0, 8)]: 1 } }]);
  out.push(["toJSON secret", { toJSON: () => ({ provider: "billit", clientId: "c", clientSecret: SECRET, stateMaxAge: NaN }) }]);
  out.push(["NaN with secret", { provider: "billit", clientId: "c", clientSecret: SECRET, stateMaxAge: NaN }]);
  out.push(["grants bad", { ...custom, preset: { grants: ["authorization_code", SECRET] } }]);
  out.push(["pkce bad", { ...custom, preset: { pkce: SECRET } }]);
  out.push(["good custom", { ...custom, stateKey: KEY, stateMaxAge: 600, timeoutMs: 5000, preset: { defaultLifetime: 3600, refreshTokenLifetime: 0, grants: ["authorization_code"], pkce: "required", authorizeParams: { a: "b" } } }]);
  return out;
}

const startCases = () => [
  ["none", undefined],
  ["empty", {}],
  ["payload ascii", { payload: "pay" }],
  ["payload non-ascii", { payload: "é€😀\u0000", scopes: ["openid", "profile"], params: { "ñ": "ü", prompt: "consent" } }],
  ["scope non-ascii", { scopes: ["openid", "ümlaut"] }],
  ["payload long", { payload: "€".repeat(700) }],
  ["scopes string", { scopes: "openid" }],
  ["scopes number", { scopes: [1] }],
  ["params bad", { params: { a: 1 } }],
  ["tokenKind", { tokenKind: "x" }],
  ["unknown", { payloadx: 1 }],
  ["toJSON", { toJSON: () => ({ payload: "via toJSON" }) }],
  ["NaN", { payload: "p", extra: NaN }],
];

/** Every client case and start case, the options given as Proxies and as getters, with every trap logged. */
export async function traced(pkg, entry) {
  const m = await load(pkg, entry);
  const result = {};
  for (const [name, options] of clientCases()) {
    for (const how of ["plain", "wrap", "getters"]) {
      const log = [];
      const t = tracer(log);
      let given = options;
      if (how === "wrap") given = t.wrap(options, "o");
      if (how === "getters") {
        if (typeof options !== "object" || options === null || "toJSON" in options) continue;
        try {
          structuredClone(options);
        } catch {
          continue;
        }
        given = t.getters(options, "o");
      }
      const r = ser(() => {
        const c = new m.OAuthClient(given);
        const f = c.startAuthorization({ payload: "p" });
        const out = [c.provider, c.environment, f.url, f.state.length, f.pending.length, f.flowId, f.flowExpiresAt];
        c.free();
        return out;
      });
      result[`${name} (${how})`] = { r, log };
    }
  }
  const client = new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri, stateKey: KEY });
  for (const [name, options] of startCases()) {
    for (const how of ["plain", "wrap"]) {
      const log = [];
      const given = how === "wrap" ? tracer(log).wrap(options, "s") : options;
      const r = ser(() => {
        const f = client.startAuthorization(given);
        const cb = client.parseCallback(`${redirectUri}?code=c%C3%A9&state=${f.state}&iss=%E2%82%AC`, f.pending);
        const cb2 = client.parseCallback(`${redirectUri}?code=%F0%9F%98%80x&state=${f.state}`, f.pending);
        const cb3 = client.parseCallback(`${redirectUri}?code=plain&state=${f.state}&iss=`, f.pending);
        return [f, cb, cb2, cb3];
      });
      result[`start ${name} (${how})`] = { r, log };
    }
  }
  return result;
}

/** The builtins options.js and the glue call, replaced after load by loggers that call the originals; every call
 * logged in order (with its arguments' types), over the client and start cases. `mode` varies what the
 * replacements answer. */
export async function builtins(pkg, entry, mode) {
  const m = await load(pkg, entry);
  // The cases are made (and named) before the replacements.
  const clients = clientCases(), starts = startCases();
  const log = [];
  let on = false;
  const note = (s) => on && log.push(s);
  const types = (args) => args.map((a) => (a === null ? "null" : typeof a === "object" ? (Array.isArray(a) ? "array" : a?.constructor?.name ?? "object") : typeof a)).join(",");
  const origTest = RegExp.prototype.test;
  const origExec = RegExp.prototype.exec;
  const origStringify = JSON.stringify;
  const origString = globalThis.String;
  const origDecode = TextDecoder.prototype.decode;
  const origSlice = String.prototype.slice;
  RegExp.prototype.test = function (s) {
    note(`test ${this.source} ${typeof s} ${origString(s)}`);
    // Not the lone-surrogate check's: answering true there would refuse every string.
    if (mode === "testTrue" && this.source !== "[\\uD800-\\uDFFF]") return true;
    if (mode === "testFalse") return false;
    return origTest.call(this, s);
  };
  RegExp.prototype.exec = function (s) {
    note(`exec ${this.source} ${typeof s}`);
    return origExec.call(this, s);
  };
  JSON.stringify = function (...args) {
    note(`stringify ${types(args)} replacer(NaN)=${typeof args[1] === "function" ? origStringify(args[1].call({}, "k", NaN)) : "-"}`);
    if (mode === "stringifyHostile") return '{"provider":"billit","clientId":"from-hostile-stringify"}';
    return origStringify.apply(this, args);
  };
  const hostileString = function (v) {
    note(`String ${typeof v} ${origString(v)}`);
    if (mode === "stringAbc" && typeof v === "number") return "abc";
    if (mode === "stringBig" && typeof v === "number") return "99999999999999999999999";
    return origString(v);
  };
  hostileString.prototype = origString.prototype;
  globalThis.String = hostileString;
  TextDecoder.prototype.decode = function (...args) {
    note(`decode ${types(args)} ${args[0]?.length}`);
    return origDecode.apply(this, args);
  };
  String.prototype.slice = function (...args) {
    note(`slice ${args.join(",")}`);
    return origSlice.apply(this, args);
  };
  const result = {};
  try {
    for (const [name, options] of clients) {
      on = true;
      const r = ser(() => {
        const c = new m.OAuthClient(options);
        on = false;
        const out = [c.provider, c.environment];
        c.free();
        return out;
      });
      on = false;
      result[name] = { r, log: log.splice(0) };
    }
    const client = new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri, stateKey: KEY });
    for (const [name, options] of starts) {
      on = true;
      const r = ser(() => {
        const f = client.startAuthorization(options);
        const cb = client.parseCallback(`${redirectUri}?code=c%C3%A9&state=${f.state}&iss=%E2%82%AC`, f.pending);
        const cb2 = client.parseCallback(`${redirectUri}?code=%F0%9F%98%80x&state=${f.state}`, f.pending);
        const cb3 = client.parseCallback(`${redirectUri}?code=plain&state=${f.state}&iss=`, f.pending);
        return [f, cb, cb2, cb3];
      });
      on = false;
      result[`start ${name}`] = { r, log: log.splice(0) };
    }
  } finally {
    RegExp.prototype.test = origTest;
    RegExp.prototype.exec = origExec;
    JSON.stringify = origStringify;
    globalThis.String = origString;
    TextDecoder.prototype.decode = origDecode;
    String.prototype.slice = origSlice;
  }
  return result;
}

/** Object.prototype and Array.prototype polluted (before load or after), with logging getters: what the options
 * reader and the glue read through them, and their answers. */
export async function polluted(pkg, entry, when) {
  const log = [];
  const pollute = () => {
    for (const k of ["instance", "exports", "provider", "clientId", "clientSecret", "stateKey", "preset", "defaultLifetime", "payload", "scopes", "toJSON", "length", "4", "5", "0", "1"]) {
      for (const proto of [Object.prototype, Array.prototype]) {
        if (Object.hasOwn(proto, k)) continue;
        Object.defineProperty(proto, k, {
          get() { log.push(`${proto === Array.prototype ? "Array" : "Object"}.prototype.${k}`); },
          // An assignment through the prototype lands as the receiver's own property (as without the getter).
          set(v) { Object.defineProperty(this, k, { value: v, writable: true, enumerable: true, configurable: true }); },
          configurable: true,
        });
      }
    }
  };
  const cases = clientCases();
  if (when === "before") pollute();
  const m = await load(pkg, entry);
  if (when === "after") pollute();
  const result = {};
  for (const [name, options] of cases) {
    const r = ser(() => {
      const c = new m.OAuthClient(options);
      const out = [c.provider, c.environment];
      const f = c.startAuthorization({ payload: "é", scopes: ["a", "b"] });
      out.push(f.url, c.parseCallback(`${redirectUri}?code=C&state=${f.state}`, f.pending));
      c.free();
      return out;
    });
    result[name] = { r, log: log.splice(0) };
  }
  return result;
}

/** The glue's handle: double free, use after free, frees from inside options getters, decode and register, and
 * clients dropped for the FinalizationRegistry; each client must keep answering its own provider. */
export async function handles(pkg, entry) {
  const m = await load(pkg, entry);
  const out = {};
  const mk = (provider) => new m.OAuthClient(provider === "custom" ? custom : { provider, clientId: "c-" + provider, redirectUri, stateKey: KEY });
  const use = (c) => ser(() => [c.provider, c.environment, c.startAuthorization({}).url]);
  // Double free and use after free.
  const a = mk("billit");
  a.free();
  a.free();
  out.afterDoubleFree = use(a);
  const b = mk("factorial"), c2 = mk("custom");
  out.others = [use(b), use(c2)];
  out.afterFreeCallback = ser(() => a.parseCallback(redirectUri + "?code=x&state=y", "p"));
  if (Symbol.dispose) {
    const d = mk("billit");
    d[Symbol.dispose]();
    d.free();
    out.disposeThenFree = use(d);
  }
  // Freed from a start options getter, then from inside a replaced decode (start and callback answers).
  const e = mk("billit");
  out.freeInGetter = ser(() => e.startAuthorization({ get payload() { e.free(); return "p"; } }));
  out.freeInGetterAgain = use(e);
  const g = mk("billit");
  const f0 = g.startAuthorization({});
  const decode = TextDecoder.prototype.decode;
  let freed = 0;
  TextDecoder.prototype.decode = function (...args) {
    if (!freed++) g.free();
    return decode.apply(this, args);
  };
  out.freeInDecodeStart = ser(() => { const f = g.startAuthorization({}); return [f.url.length, f.state.length, f.pending.length]; });
  TextDecoder.prototype.decode = decode;
  out.freeInDecodeAfter = use(g);
  const h = mk("billit");
  const fh = h.startAuthorization({});
  freed = 0;
  TextDecoder.prototype.decode = function (...args) {
    if (!freed++) { h.free(); mk("factorial").free(); }
    return decode.apply(this, args);
  };
  out.freeInDecodeCallback = ser(() => h.parseCallback(`${redirectUri}?code=C&state=${fh.state}`, fh.pending));
  TextDecoder.prototype.decode = decode;
  out.unused = f0.url.length;
  // A replaced register that frees the client it registers, and one that keeps the cell.
  const register = FinalizationRegistry.prototype.register;
  let kept;
  FinalizationRegistry.prototype.register = function (target, held, token) {
    kept = held;
    target.free();
    return register.call(this, target, held, token);
  };
  const r = mk("billit");
  FinalizationRegistry.prototype.register = register;
  out.registerFree = use(r);
  out.keptCell = kept === undefined ? "none" : JSON.stringify(kept);
  // Dropped clients collected (the registry frees them), some freed first; survivors keep their providers.
  const keep = [];
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 300; i++) {
      const x = mk(["billit", "factorial", "custom"][i % 3]);
      if (i % 2) x.free();
      if (i % 50 === 0) keep.push([x, ["billit", "factorial", "custom"][i % 3], i % 2 === 1]);
    }
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 20));
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  const fresh = [mk("custom"), mk("billit"), mk("factorial")];
  out.survivors = keep.map(([x, p, wasFreed]) => (wasFreed ? use(x).err : use(x).ok?.[0] === p));
  out.fresh = fresh.map((x) => use(x).ok?.[0]);
  return out;
}

/** init(): what the page build's init and initSync accept and answer. */
export async function ready(pkg, mode) {
  const { readFileSync } = await import("node:fs");
  seededRandom(7);
  Date.now = () => NOW;
  const bytes = readFileSync(new URL("page/partner_oauth_bg.wasm", pkg));
  const out = {};
  const glue = async (tag) => import(pkg + "page/partner_oauth.js?" + tag);
  const works = (m) => ser(() => { const c = new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri }); return [c.provider, c.startAuthorization({}).url.length]; });
  const kind = (x) => (x && typeof x === "object" ? Object.keys(x).sort().join(",").slice(0, 30) : typeof x);
  const tryInit = async (m, arg) => {
    try {
      const w = await m.default(arg);
      return `ok ${kind(w)}`;
    } catch (e) {
      return `${e?.constructor?.name}: ${e?.message}`;
    }
  };
  if (mode === "sources") {
    const module = new WebAssembly.Module(bytes);
    const tries = {
      bytes: bytes,
      arrayBuffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      module,
      promiseOfModule: Promise.resolve(module),
      responseWasm: new Response(bytes, { headers: { "content-type": "application/wasm" } }),
      responseOther: new Response(bytes, { headers: { "content-type": "application/octet-stream" } }),
      response404: new Response("no", { status: 404 }),
      instance: new WebAssembly.Instance(module, {}),
      instantiated: await WebAssembly.instantiate(bytes, {}),
      objectWithInstance: { instance: new WebAssembly.Instance(module, {}) },
      nothing: undefined,
      junk: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 9]),
    };
    let i = 0;
    for (const [name, arg] of Object.entries(tries)) {
      const m = await glue(`s${i++}`);
      out[name] = [await tryInit(m, arg), works(m)];
    }
    // Two inits in flight: the first finished stays; the second answers the same exports.
    const m = await glue("twice");
    const [x, y] = await Promise.all([m.default(bytes), m.default(new WebAssembly.Module(bytes))]);
    out.twice = [x === y, works(m)];
    const s = await glue("sync");
    const e1 = s.initSync({ module: bytes });
    const e2 = s.initSync({ module: new WebAssembly.Module(bytes) });
    out.initSyncTwice = [e1 === e2, works(s), e1 === (await s.default(bytes))];
    const s2 = await glue("syncInstance");
    try {
      s2.initSync({ module: new WebAssembly.Instance(new WebAssembly.Module(bytes), {}) });
      out.initSyncInstance = "ok";
    } catch (e) {
      out.initSyncInstance = `${e?.constructor?.name}`;
    }
  } else if (mode === "streamingReturnsInstance") {
    // A platform whose instantiateStreaming answers an Instance (not { module, instance }).
    const real = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (r) => new WebAssembly.Instance(new WebAssembly.Module(await r.arrayBuffer()), {});
    const m = await glue("sri");
    out.init = await tryInit(m, new Response(bytes, { headers: { "content-type": "application/wasm" } }));
    out.works = works(m);
    WebAssembly.instantiateStreaming = real;
  } else if (mode === "pollutedInstance") {
    // Object.prototype.instance planted after load, before init: which paths read it.
    const fake = { exports: { marker: true } };
    const reads = [];
    Object.defineProperty(Object.prototype, "instance", { get() { reads.push(Object.keys(this).join(",") || this?.constructor?.name); return fake; }, configurable: true });
    const module = new WebAssembly.Module(bytes);
    for (const [name, arg] of [["bytes", bytes], ["responseWasm", new Response(bytes, { headers: { "content-type": "application/wasm" } })], ["responseOther", new Response(bytes, { headers: { "content-type": "text/plain" } })], ["module", module]]) {
      const m = await glue("pi-" + name);
      const r = await tryInit(m, arg);
      out[name] = [r, reads.splice(0), works(m)];
    }
    const s = await glue("pi-sync");
    out.initSync = [kind(s.initSync({ module })), reads.splice(0), works(s)];
    delete Object.prototype.instance;
  }
  return out;
}

/** The cell release() reads and zeroes, seen through a replaced register that keeps it and puts an accessor on its
 * index: the order of the read and the write in free(), a second free(), and the registry's own release of
 * dropped clients (each once; a freed one not at all). */
export async function cells(pkg, entry) {
  const m = await load(pkg, entry);
  const log = [];
  const register = FinalizationRegistry.prototype.register;
  const unregister = FinalizationRegistry.prototype.unregister;
  let n = 0;
  FinalizationRegistry.prototype.register = function (target, held, token) {
    const id = n++;
    let value = held[0];
    Object.defineProperty(held, 0, {
      get() { log.push(`get ${id} ${value === 0 ? 0 : "h"}`); return value; },
      set(v) { log.push(`set ${id} ${v}`); value = v; },
    });
    return register.call(this, target, held, token);
  };
  FinalizationRegistry.prototype.unregister = function (token) {
    log.push("unregister");
    return unregister.call(this, token);
  };
  const mk = () => new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri });
  const out = {};
  const a = mk();
  a.startAuthorization({});
  a.free();
  a.free();
  out.freeTwice = log.splice(0);
  (() => {
    for (let i = 0; i < 40; i++) {
      const x = mk();
      if (i % 4 === 0) x.free();
    }
  })();
  log.splice(0);
  for (let i = 0; i < 6; i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  const counts = {};
  for (const l of log) counts[l.replace(/ \d+ /, " # ")] = (counts[l.replace(/ \d+ /, " # ")] ?? 0) + 1;
  out.collected = counts;
  const ids = new Set(log.filter((l) => l.startsWith("set")).map((l) => l.split(" ")[1]));
  out.collectedIds = ids.size;
  out.freedNeverCollected = [...ids].every((id) => (id - 1) % 4 !== 0);
  FinalizationRegistry.prototype.register = register;
  FinalizationRegistry.prototype.unregister = unregister;
  out.after = ser(() => mk().provider);
  return out;
}

/** The page build's `document` test (inlined from results.js' hasDocument): a global `document` getter that logs,
 * answering undefined, null, {}, 0 and "", for a client given a clientSecret; then one that re-enters the library
 * (frees a client, makes others) between the options' copy into the wasm and the constructor's export call. */
export async function documentProbe(pkg) {
  const log = [];
  let doc;
  Object.defineProperty(globalThis, "document", { get() { log.push("document"); return doc; }, configurable: true });
  const m = await load(pkg, "page-node.js");
  const out = {};
  const opt = { provider: "billit", clientId: "c", redirectUri, clientSecret: SECRET };
  for (const d of [undefined, null, {}, 0, ""]) {
    doc = d;
    log.length = 0;
    out[`${String(d)} ${typeof d}`] = [ser(() => { const c = new m.OAuthClient(opt); const p = c.provider; c.free(); return p; }), log.slice()];
  }
  const victim = new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri });
  Object.defineProperty(globalThis, "document", {
    get() {
      log.push("reenter");
      if (log.length > 1) return undefined;
      victim.free();
      log.push(ser(() => new m.OAuthClient({ provider: "factorial", clientId: "f", redirectUri, stateKey: "z".repeat(64) }).provider));
      log.push(ser(() => m.newPkceVerifier().length));
      return undefined;
    },
    configurable: true,
  });
  log.length = 0;
  out.reenter = [ser(() => { const c = new m.OAuthClient({ provider: "billit", clientId: "c2", redirectUri, stateKey: KEY }); const f = c.startAuthorization({}); return [c.provider, f.url.slice(0, 60), c.parseCallback(`${redirectUri}?code=C&state=${f.state}`, f.pending).code]; }), log.slice()];
  out.victim = ser(() => victim.provider);
  return out;
}
