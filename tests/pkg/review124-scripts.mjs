// Review 124's scripts (tests/pkg/review124.test.mjs): each runs in a child Node process (a fresh package, its own
// globals) and returns a JSON value. `pkg` is the package directory's URL. Random bytes come from an LCG and the clock
// is frozen where a script's answers are compared byte for byte.
import { createHash } from "node:crypto";
import { exposePointer } from "./stack.mjs";

const redirectUri = "https://app.example/cb";
const endpoints = { authorize: "https://as.example/authorize", token: "https://as.example/token" };

/** crypto.getRandomValues replaced by an LCG (Math.imul: exact), calling `hook()` once when armed. */
const fixRandom = (seed) => {
  const state = { calls: 0, hook: null };
  crypto.getRandomValues = (a) => {
    state.calls++;
    if (state.hook) {
      const h = state.hook;
      state.hook = null;
      h();
    }
    for (let i = 0; i < a.length; i++) a[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    return a;
  };
  return state;
};

/** Imports `entry`, catching the instance's exports (its memory, the page's `g`: exported by a copy of the page module
 * since the twenty-sixth session, stack.mjs). */
const load = async (pkg, entry) => {
  const hide = entry === "page-node.js" ? exposePointer() : () => {};
  const Instance = WebAssembly.Instance, made = [];
  WebAssembly.Instance = new Proxy(Instance, {
    construct(t, a, n) {
      const i = Reflect.construct(t, a, n);
      made.push(i.exports);
      return i;
    },
  });
  try {
    return { m: await import(pkg + entry), exports: made[0] };
  } finally {
    WebAssembly.Instance = Instance;
    hide();
  }
};

/** `op` at every depth near the JS stack's limit, `rounds` times: RangeErrors counted, other errors' codes. */
const near = (op, rounds, tally) => {
  for (let r = 0; r < rounds; r++) {
    const deep = () => {
      try {
        deep();
      } catch {}
      try {
        op();
      } catch (e) {
        if (e instanceof RangeError) tally.caught++;
        else tally.other[e?.code ?? e?.message] = (tally.other[e?.code ?? e?.message] ?? 0) + 1;
      }
    };
    deep();
  }
};

const codeOf = (f) => {
  try {
    const r = f();
    return r === undefined ? "undefined" : typeof r === "object" ? (r.accessToken ?? r.code ?? "object") : r;
  } catch (e) {
    return e?.name === "OAuthError" ? e.code : `${e?.constructor?.name}: ${e?.message}`;
  }
};

/** The page's answers (starts, callbacks, errors, PKCE) with the clock and random bytes fixed: a hash of them. */
export async function pageAnswers(pkg) {
  fixRandom(3);
  Date.now = () => 1765000000000;
  const { m } = await load(pkg, "page-node.js");
  const { OAuthClient, newPkceVerifier, pkceChallenge } = m;
  const r = (f) => {
    try {
      return JSON.stringify(f());
    } catch (e) {
      return `${e.code}|${e.message}|${e.providerCode}`;
    }
  };
  const c = new OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints });
  const lines = [];
  for (let i = 0; i < 30; i++) {
    const s = c.startAuthorization(i % 2 ? { scopes: ["x"] } : {});
    lines.push(JSON.stringify(s));
    lines.push(r(() => c.parseCallback(`${redirectUri}?code=c${i}&state=${s.state}`, s.pending)));
    lines.push(r(() => c.parseCallback(`${redirectUri}?error=access_denied&error_description=no+${i}&state=${s.state}`, s.pending)));
    lines.push(r(() => c.parseCallback(`${redirectUri}?code=c${i}&state=bad`, s.pending)));
    lines.push(r(() => newPkceVerifier()), r(() => pkceChallenge("v".repeat(43 + i))));
  }
  lines.push(r(() => c.provider), r(() => c.environment), r(() => new OAuthClient({})), r(() => pkceChallenge(1)), r(() => c.parseCallback(1, 2)));
  c.free();
  lines.push(r(() => c.startAuthorization({})));
  return { lines: lines.length, sha256: createHash("sha256").update(lines.join("\n") + "\n").digest("hex") };
}

/** Every page entry at every depth near the stack's limit, then a flow that must answer as before. */
export async function pageDepths(pkg) {
  fixRandom(1);
  Date.now = () => 1765000000000;
  const { m, exports } = await load(pkg, "page-node.js");
  const { OAuthClient, newPkceVerifier, pkceChallenge } = m;
  const opts = { provider: "custom", clientId: "cid", redirectUri, endpoints };
  const c = new OAuthClient(opts);
  const tally = { caught: 0, other: {} };
  const flow = () => {
    const s = c.startAuthorization({});
    return [c.parseCallback(`${redirectUri}?code=abc&state=${s.state}`, s.pending).code, pkceChallenge(newPkceVerifier()).length, pkceChallenge("a".repeat(43))];
  };
  const ops = {
    start: () => c.startAuthorization({}),
    callback: () => {
      const s = c.startAuthorization({});
      return c.parseCallback(`${redirectUri}?code=abc&state=${s.state}`, s.pending);
    },
    refused: () => c.parseCallback(`${redirectUri}?error=access_denied&error_description=${"d".repeat(200)}`, "junk"),
    verifier: () => newPkceVerifier(),
    challenge: () => pkceChallenge("x".repeat(60)),
    client: () => new OAuthClient(opts).free(),
    provider: () => c.provider,
  };
  const after = {};
  for (const [name, op] of Object.entries(ops)) {
    near(op, 1, tally);
    after[name] = flow();
  }
  for (let i = 0; i < 8; i++) near(ops.callback, 1, tally);
  after.many = flow();
  return { overflowed: tally.caught > 1000, other: tally.other, after, top: exports.g.value, memory: exports.memory.buffer.byteLength };
}

/** Page calls made by app code inside a page call (getRandomValues, a Proxy's traps, encodeInto, decode), with
 * overflows inside them: the outer call answers with its own flow, every inner state distinct. */
export async function pageNested(pkg) {
  const random = fixRandom(7);
  Date.now = () => 1765000000000;
  const { m, exports } = await load(pkg, "page-node.js");
  const { OAuthClient, newPkceVerifier, pkceChallenge } = m;
  const opts = { provider: "custom", clientId: "cid", redirectUri, endpoints };
  const a = new OAuthClient(opts), b = new OAuthClient({ ...opts, clientId: "other" });
  const tally = { caught: 0, other: {} }, states = [];
  const inner = () => {
    near(() => {
      const s = b.startAuthorization({});
      states.push(s.state);
      b.parseCallback(`${redirectUri}?code=inner&state=${s.state}`, s.pending);
    }, 1, tally);
    near(() => newPkceVerifier(), 1, tally);
    near(() => pkceChallenge("y".repeat(50)), 1, tally);
  };
  const out = {};
  const own = (k) => {
    const s = a.startAuthorization({});
    return [codeOf(() => a.parseCallback(`${redirectUri}?code=outer${k}&state=${s.state}`, s.pending)), codeOf(() => b.parseCallback(`${redirectUri}?code=x&state=${s.state}`, s.pending))];
  };
  out.random = [];
  for (let k = 0; k < 6; k++) {
    for (let i = 0; i < 30; i++) newPkceVerifier();
    random.hook = inner;
    out.random.push(own(k));
  }
  const proxy = new Proxy({}, { get() { inner(); }, has() { inner(); return false; }, ownKeys() { inner(); return []; } });
  out.proxy = codeOf(() => {
    const s = a.startAuthorization(proxy);
    return a.parseCallback(`${redirectUri}?code=px&state=${s.state}`, s.pending);
  });
  const { encodeInto } = TextEncoder.prototype;
  TextEncoder.prototype.encodeInto = function (s, v) {
    TextEncoder.prototype.encodeInto = encodeInto;
    inner();
    return encodeInto.call(this, s, v);
  };
  out.encodeInto = own("E");
  TextEncoder.prototype.encodeInto = encodeInto;
  const { decode } = TextDecoder.prototype;
  TextDecoder.prototype.decode = function (...args) {
    TextDecoder.prototype.decode = decode;
    inner();
    return decode.apply(this, args);
  };
  out.decode = own("D");
  TextDecoder.prototype.decode = decode;
  out.after = own("F");
  out.innerDistinct = states.length > 1000 && new Set(states).size === states.length;
  out.overflowed = tally.caught > 1000;
  out.top = exports.g.value;
  return out;
}

const tokenBody = JSON.stringify({ access_token: "at-2", token_type: "Bearer", refresh_token: "rt-new" });

/** The full build's Exchange freed or released inside its own finish (the clock), the client freed there, a clock
 * that throws; then release(), free() and the memory. */
export async function exchangeRelease(pkg) {
  const { m, exports } = await load(pkg, "node.js");
  const holds = (t) => Buffer.from(exports.memory.buffer).includes(t);
  const fetch = async () => ({ status: 200, headers: new Headers(), body: null, text: async () => tokenBody });
  const client = (clientSecret = "s3cret-value-" + "x".repeat(10)) => new m.OAuthClient({ provider: "custom", clientId: "cid", clientSecret, redirectUri, fetch, endpoints });
  const now = Date.now, out = {};
  {
    const rt = "rt-A-" + "1".repeat(20), ex = client().prepareRefresh({ accessToken: "at-1", refreshToken: rt });
    Date.now = () => ((Date.now = now), ex.release(), now());
    out.A = { finish: codeOf(() => ex.finish(200, undefined, tokenBody)), again: codeOf(() => ex.release()), request: codeOf(() => ex.request), scrub: codeOf(() => ex.scrub("x")), free: codeOf(() => ex.free()), held: holds(rt) };
  }
  {
    const rt = "rt-B-" + "2".repeat(20), ex = client().prepareRefresh({ accessToken: "at-1", refreshToken: rt });
    let inner;
    Date.now = () => ((Date.now = now), (inner = codeOf(() => ex.free())), now());
    out.B = { finish: codeOf(() => ex.finish(200, undefined, tokenBody)), inner, release: codeOf(() => ex.release()), held: holds(rt) };
  }
  {
    const secret = "client-secret-C-" + "3".repeat(20), c = client(secret), ex = c.prepareRefresh({ accessToken: "at-1", refreshToken: "rt-C" });
    Date.now = () => ((Date.now = now), c.free(), now());
    out.C = { finish: codeOf(() => ex.finish(200, undefined, tokenBody)), client: codeOf(() => c.startAuthorization({})), heldBefore: holds(secret) };
    ex.release();
    out.C.heldAfter = holds(secret);
  }
  {
    const rt = "rt-D-" + "4".repeat(20), ex = client().prepareRefresh({ accessToken: "at-1", refreshToken: rt });
    Date.now = () => {
      Date.now = now;
      throw new Error("the app's clock failed");
    };
    out.D = { finish: codeOf(() => ex.finish(200, undefined, tokenBody)), release: codeOf(() => ex.release()), held: holds(rt) };
  }
  return out;
}

/** Finding N1: an Exchange freed twice, disposed, or called after free(): each answer (and its refresh token in
 * memory after). */
export async function exchangeFreedTwice(pkg) {
  const { m, exports } = await load(pkg, "node.js");
  const fetch = async () => ({ status: 200, headers: new Headers(), body: null, text: async () => tokenBody });
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", clientSecret: "s3cret-value-xyz", redirectUri, fetch, endpoints });
  const rt = "rt-N1-" + "5".repeat(20), ex = c.prepareRefresh({ accessToken: "at-1", refreshToken: rt });
  const out = { free: codeOf(() => ex.free()), again: codeOf(() => ex.free()), request: codeOf(() => ex.request), release: codeOf(() => ex.release()) };
  const ex2 = c.prepareRefresh({ accessToken: "at-1", refreshToken: rt });
  out.dispose = Symbol.dispose ? [codeOf(() => ex2[Symbol.dispose]()), codeOf(() => ex2[Symbol.dispose]())] : ["undefined", "undefined"];
  out.held = Buffer.from(exports.memory.buffer).includes(rt);
  out.refresh = (await c.refresh({ accessToken: "at-1", refreshToken: "rt" })).accessToken;
  return out;
}

/** The Exchange's own calls at every depth near the stack's limit, then release() and free(); public refreshes
 * begun at every depth. */
export async function exchangeDepths(pkg) {
  const { m, exports } = await load(pkg, "node.js");
  const holds = (t) => Buffer.from(exports.memory.buffer).includes(t);
  const fetch = async () => ({ status: 200, headers: new Headers(), body: null, text: async () => tokenBody });
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", clientSecret: "s3cret-value", redirectUri, fetch, endpoints });
  const rt = "rt-E-" + "5".repeat(20), tally = { caught: 0, other: {} };
  const ops = [(e) => e.request, (e) => e.scrub("text " + rt), (e) => e.readsSuccessBody, (e) => e.finish(200, undefined, tokenBody)];
  const exchanges = ops.map((op) => {
    const ex = c.prepareRefresh({ accessToken: "at-1", refreshToken: rt });
    near(() => op(ex), 1, tally);
    return ex;
  });
  const out = { overflowed: tally.caught > 500, other: tally.other };
  out.release = exchanges.map((ex) => codeOf(() => ex.release()));
  out.free = exchanges.map((ex) => codeOf(() => ex.free()));
  out.held = holds(rt);
  // Every fifth of the 3,000 frames nearest the limit (each refresh leaves a promise).
  const answers = [];
  let fromTop = 0;
  const deep = () => {
    try {
      deep();
    } catch {}
    if (fromTop++ > 3000 || fromTop % 5) return;
    try {
      answers.push(c.refresh({ accessToken: "at-1", refreshToken: "rt-F" }).then((t) => "token " + t.accessToken, (e) => (e instanceof RangeError ? "RangeError" : e?.code)));
    } catch (e) {
      answers.push(e?.constructor?.name);
    }
  };
  deep();
  // Every refresh answered with the token, its own RangeError or (an overflow in the app's fetch) network_error.
  out.refreshes = [...new Set(await Promise.all(answers))].sort();
  out.after = (await c.refresh({ accessToken: "a", refreshToken: "r" })).accessToken;
  out.freed = codeOf(() => c.free());
  return out;
}

/** The full build's random pool after overflows inside draws and refills, and starts made inside a refill. */
export async function pool(pkg) {
  const random = fixRandom(11);
  const { m } = await load(pkg, "node.js");
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints });
  const states = [], verifiers = [], tally = { caught: 0, other: {} };
  const start = () => states.push(c.startAuthorization({}).state);
  const verifier = () => verifiers.push(m.newPkceVerifier());
  for (let r = 0; r < 2; r++) near(start, 1, tally), near(verifier, 1, tally);
  for (let r = 0; r < 6; r++) {
    random.hook = () => (near(start, 1, tally), near(verifier, 1, tally));
    for (let i = 0; i < 400 && random.hook; i++) start();
  }
  const before = random.calls;
  for (let i = 0; i < 3410; i++) start();
  return {
    overflowed: tally.caught > 500,
    other: tally.other,
    distinct: new Set(states).size === states.length && new Set(verifiers).size === verifiers.length,
    many: states.length > 50000,
    refills: random.calls - before,
  };
}

/** After a JWT check (HS256 key), a refresh and free(): none of their secrets left in the wasm's memory. */
export async function secretsAfterUse(pkg) {
  const { m, exports } = await load(pkg, "node.js");
  const { createHmac } = await import("node:crypto");
  const holds = (t) => Buffer.from(exports.memory.buffer).includes(t);
  const secret = "hmac-key-material-" + "Q".repeat(20), k = Buffer.from(secret).toString("base64url");
  const part = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const subject = "subject-of-user-z-" + "7".repeat(20);
  const input = part({ alg: "HS256", typ: "JWT" }) + "." + part({ sub: subject, exp: Math.floor(Date.now() / 1000) + 600 });
  const token = input + "." + createHmac("sha256", secret).update(input).digest("base64url");
  const out = { verified: (await m.verifyAccessToken(token, { key: { kty: "oct", k, alg: "HS256" } })).sub === subject };
  out.jwt = [k, secret, subject, token.split(".")[2]].map(holds);
  const fresh = ["at-new-" + "8".repeat(20), "rt-new-" + "9".repeat(20)];
  const body = JSON.stringify({ access_token: fresh[0], token_type: "Bearer", refresh_token: fresh[1] });
  const clientSecret = "client-secret-" + "W".repeat(20), old = "rt-old-" + "6".repeat(20);
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", clientSecret, redirectUri, fetch: async () => ({ status: 200, headers: new Headers(), body: null, text: async () => body }), endpoints });
  out.refreshed = (await c.refresh({ accessToken: "at-old", refreshToken: old })).refreshToken === fresh[1];
  out.refresh = [old, ...fresh].map(holds);
  c.free();
  out.clientSecret = holds(clientSecret);
  return out;
}

/** verifyAccessToken (HS256 JWK) with app code throwing from the n-th JSON.parse, Date.now or crypto.subtle call the
 * check makes: each failure reaches the caller as itself (or the library's typed error), and neither the key nor the
 * token's subject stays in memory once it returned. */
export async function jwtThrows(pkg) {
  const { m, exports } = await load(pkg, "node.js");
  const { createHmac } = await import("node:crypto");
  const holds = (t) => Buffer.from(exports.memory.buffer).includes(t);
  const secret = "hmac-key-material-" + "J".repeat(20), k = Buffer.from(secret).toString("base64url");
  const part = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const subject = "subject-of-user-j-" + "5".repeat(20);
  const input = part({ alg: "HS256", typ: "JWT", kid: "k1" }) + "." + part({ sub: subject, exp: Math.floor(Date.now() / 1000) + 600 });
  const token = input + "." + createHmac("sha256", secret).update(input).digest("base64url");
  const keys = { keys: [{ kty: "oct", kid: "k1", k, alg: "HS256" }, { kty: "oct", kid: "k1", k: Buffer.from("other-key-" + "o".repeat(30)).toString("base64url"), alg: "HS256" }] };
  const parse = JSON.parse, now = Date.now, subtle = crypto.subtle, { importKey, verify } = subtle;
  const out = {};
  for (const [name, target, key, original] of [["parse", JSON, "parse", parse], ["now", Date, "now", now], ["importKey", subtle, "importKey", importKey], ["verify", subtle, "verify", verify]]) {
    const rows = [];
    for (let n = 1; n <= 4; n++) {
      let count = 0;
      target[key] = function (...args) {
        if (++count === n) throw new Error(`app ${name} ${n}`);
        return original.apply(this, args);
      };
      let answer;
      try {
        answer = (await m.verifyAccessToken(token, { key: keys })).sub === subject ? "verified" : "other";
      } catch (e) {
        answer = e?.name === "OAuthError" ? e.code : e?.message;
      } finally {
        target[key] = original;
      }
      rows.push([answer, holds(subject) || holds(k) || holds(secret)]);
    }
    out[name] = rows;
  }
  out.after = (await m.verifyAccessToken(token, { key: keys })).sub === subject;
  return out;
}
