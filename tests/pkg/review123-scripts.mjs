// Review 123's child scripts (tests/pkg/review123.test.mjs runs them; each runs in a child Node process with the
// package directory `pkg`, the clock and crypto.getRandomValues fixed before the package is imported).
import { seededRandom, ser } from "./review118-scripts.mjs";
import { exposePointer, fullPointer } from "./stack.mjs";

const own = (e) => {
  const r = {};
  for (const k of Reflect.ownKeys(e)) if (k !== "stack") r[String(k)] = e[k];
  return r;
};
/** f()'s value, or the whole error: class, code, message and every own field. */
const full = (f) => {
  try {
    const v = f();
    return { ok: v && typeof v === "object" && "__wbg_ptr" in v ? "object" : v };
  } catch (e) {
    return { cls: e?.constructor?.name, code: e?.code, msg: e?.message, own: own(e) };
  }
};

/** Page and full: provider error fields, parts with multibyte, "{}", lone surrogates and long texts, in messages. */
export async function messages(pkg, entry, seed = 123) {
  seededRandom(seed);
  Date.now = () => 1765000000000;
  const m = await import(pkg + entry);
  let s = seed;
  const rnd = (n) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const ALPH = ["a", "Z", "{}", "{", "}", "%", "%7B%7D", "é", "%C3%A9", "\u{1F600}", "%F0%9F%98%80", "\uD800", "%ED%A0%80", "+", " ", "\u2028", "%E2%80%A8",
    "%00", "%1F", "%7F", "%C2%85", "\u0085", ":", ")", "(provider: x)", "=", "&", "\uFFFD", "%EF%BB%BF", "\uFEFF", "null", "undefined"];
  const word = (max) => Array.from({ length: rnd(max) }, () => ALPH[rnd(ALPH.length)]).join("");
  const redirectUri = "https://app.example/cb";
  const out = [];
  const base = { provider: "billit", clientId: "c", redirectUri };
  const c = new m.OAuthClient(base);
  const f = c.startAuthorization({ payload: "p" });
  for (let i = 0; i < 1500; i++) {
    const e = word(6), d = word(8);
    const long = rnd(4) === 0 ? ALPH[rnd(ALPH.length)].repeat(rnd(600)) : "";
    const forms = [`error=${e}&error_description=${d}${long}&state=${f.state}`, `error=${e}${long}&state=${f.state}`, `error=${e}&error_description=${d}`,
      `error_description=${d}&state=${f.state}`, `error=${e}&error_description=${d}&iss=${word(3)}&state=${f.state}`];
    { const q = forms[rnd(forms.length)]; out.push(full(() => c.parseCallback(redirectUri + "?" + (rnd(2) ? q : q.replace(/[^\w%&=.-]/gu, (x) => encodeURIComponent(x).replace(/%25/g, "%"))), f.pending))); }
  }
  // Parts from the caller's own texts: params and authorizeParams names, redirect URIs, environments, token kinds.
  for (let i = 0; i < 600; i++) {
    const k = word(5);
    out.push(full(() => c.startAuthorization({ params: { [k]: "v", state: "x" } })));
    out.push(full(() => c.startAuthorization({ params: { [k || "x"]: "v" }, scopes: [word(3)] })));
    out.push(full(() => new m.OAuthClient({ ...base, redirectUri: word(4) + "://" + word(4) })));
    out.push(full(() => new m.OAuthClient({ ...base, redirectUri: "https://" + word(3) + "@x/" })));
    out.push(full(() => new m.OAuthClient({ ...base, environment: word(4) })));
    out.push(full(() => new m.OAuthClient({ ...base, provider: word(4) })));
    out.push(full(() => new m.OAuthClient({ ...base, preset: { authorizeParams: { [k || "x"]: "v", client_id: "x" } } })));
    out.push(full(() => c.startAuthorization({ tokenKind: word(4) })));
    out.push(full(() => new m.OAuthClient({ ...base, clientId: word(6) })));
    out.push(full(() => new m.OAuthClient({ provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: word(3) } })));
  }
  // Pending values: each message of the pending value and the state's, and the age message (its " second" part).
  for (const age of [0, 1, 2, 3601, 86400]) {
    const ca = new m.OAuthClient({ ...base, stateMaxAge: Math.max(1, age) });
    const fa = ca.startAuthorization({});
    Date.now = () => 1765000000000 + (age + 2) * 1000;
    out.push(full(() => ca.parseCallback(`${redirectUri}?code=C&state=${fa.state}`, fa.pending)));
    Date.now = () => 1765000000000;
  }
  for (const p of ["", "x", "v1.x", String(f.pending).slice(0, -1), String(f.pending) + "A", "A".repeat(9000), "\uD800", 5, null]) {
    out.push(full(() => c.parseCallback(`${redirectUri}?code=C&state=${f.state}`, p)));
  }
  for (const v of [5, null, "", "a".repeat(42), "a".repeat(129), "\uD800".repeat(50)]) out.push(full(() => m.pkceChallenge(v)));
  return out;
}

/** The instance's own exports, caught as the glue makes them. */
function catchInstances() {
  const Instance = WebAssembly.Instance, made = [];
  WebAssembly.Instance = new Proxy(Instance, { construct(target, args, newTarget) { const i = Reflect.construct(target, args, newTarget); made.push(i.exports); return i; } });
  return { made, restore: () => (WebAssembly.Instance = Instance) };
}

/** Where each secret's bytes still are in the wasm's memory after flows, token parses and free(). */
export async function residue(pkg, entry, unwind = false) {
  seededRandom(5);
  Date.now = () => 1765000000000;
  const { made, restore } = catchInstances();
  const m = await import(pkg + entry);
  restore();
  const page = entry.startsWith("page");
  const redirectUri = "https://app.example/cb";
  const SECRET = "CLIENTSECRET-" + "q".repeat(40), KEY = "STATEKEY-" + "w".repeat(40), CODE = "AUTHCODE-" + "e".repeat(30);
  const ACCESS = "ACCESSTOKEN-" + "r".repeat(30), REFRESH = "REFRESHTOKEN-" + "t".repeat(30);
  const opts = page ? { provider: "billit", clientId: "c", redirectUri } : { provider: "billit", clientId: "c", redirectUri, clientSecret: SECRET, stateKey: [KEY] };
  const c = new m.OAuthClient(opts);
  const f = c.startAuthorization({ payload: "PAYLOAD-" + "y".repeat(20) });
  const VERIFIER = f.codeVerifier ?? f.verifier ?? "";
  const cb = c.parseCallback(`${redirectUri}?code=${CODE}&state=${f.state}`, f.pending);
  let caught = 0;
  if (unwind) {
    const near = (op) => { const deep = () => { try { deep(); } catch {} try { op(); } catch (e) { if (e instanceof RangeError) caught++; } }; deep(); };
    near(() => c.parseCallback(`${redirectUri}?code=${CODE}&state=${f.state}`, f.pending));
  }
  if (!page) {
    const body = JSON.stringify({ access_token: ACCESS, refresh_token: REFRESH, token_type: "Bearer", expires_in: 3600 });
    c.parseTokenResponse({ status: 200, body });
  }
  c.free();
  // Some other work after, as an app goes on.
  const d = new m.OAuthClient({ provider: "billit", clientId: "d", redirectUri });
  d.startAuthorization({});
  const mem = new Uint8Array(made[0].memory.buffer);
  const find = (s) => {
    const needle = new TextEncoder().encode(s.slice(0, 24));
    const at = [];
    outer: for (let i = 0; i + needle.length <= mem.length; i++) {
      if (mem[i] !== needle[0]) continue;
      for (let j = 1; j < needle.length; j++) if (mem[i + j] !== needle[j]) continue outer;
      at.push(i);
    }
    return at.length;
  };
  return { code: cb.code === CODE, caught: caught > 0, secret: find(SECRET), key: find(KEY), authCode: find(CODE), verifier: VERIFIER ? find(VERIFIER) : null,
    pending: find(String(f.pending).slice(8)), state: find(f.state.slice(4)), access: find(ACCESS), refresh: find(REFRESH), memory: mem.length };
}

/** The full build's real workloads, fuzzed, many rounds: clients made and freed in random order, starts, callbacks,
 * token bodies up to 1 MiB, HS256 JWTs with keys of many lengths; optionally overflows at the stack's limit inside
 * random calls. Every answer is checked against what it must be; the memory's growth is recorded per round. */
export async function soak(pkg, rounds, perRound, overflow, seed = 9) {
  seededRandom(seed);
  Date.now = () => 1765000000000;
  const { made, restore } = catchInstances();
  const m = await import(pkg + "node.js");
  restore();
  const { createHmac } = await import("node:crypto");
  let s = seed;
  const rnd = (n) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const redirectUri = "https://app.example/cb";
  const b64 = (x) => Buffer.from(x).toString("base64url");
  const bad = [], sizes = [];
  let ops = 0, overflows = 0;
  // The op at the 40 frames nearest the stack's limit.
  const near = (op) => { let left = 40; const deep = () => { try { deep(); } catch {} if (left-- > 0) try { op(); } catch (e) { if (e instanceof RangeError) overflows++; } }; deep(); };
  const live = [];
  const check = (what, got, want) => { if (got !== want && bad.length < 20) bad.push([what, String(got).slice(0, 80), String(want).slice(0, 80)]); };
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < perRound; i++) {
      ops++;
      const k = rnd(8);
      if (k === 0 || live.length === 0) {
        const id = "client-" + rnd(1e6) + "-" + "x".repeat(rnd(400));
        const secret = "secret-" + rnd(1e9) + "s".repeat(rnd(300));
        const c = new m.OAuthClient({ provider: "billit", clientId: id, clientSecret: secret, redirectUri, stateKey: ["k".repeat(32 + rnd(200))] });
        live.push({ c, id });
        if (live.length > 40) live.splice(rnd(live.length), 1)[0].c.free();
      } else if (k === 1) {
        live.splice(rnd(live.length), 1)[0].c.free();
      } else if (k <= 3) {
        const { c } = live[rnd(live.length)];
        const payload = "p" + rnd(1e9) + "-".repeat(rnd(1500));
        const f = c.startAuthorization({ payload });
        if (overflow && rnd(20) === 0) near(() => c.startAuthorization({ payload }));
        const code = "code-" + rnd(1e9) + "c".repeat(rnd(4) ? rnd(2000) : 8000 + rnd(4000));
        const url = `${redirectUri}?code=${code}&state=${f.state}`;
        if (overflow && rnd(20) === 0) near(() => c.parseCallback(url, f.pending));
        const cb = c.parseCallback(url, f.pending);
        check("code", cb.code, code);
        check("payload", cb.payload ?? payload, payload);
      } else if (k <= 5) {
        const { c } = live[rnd(live.length)];
        const big = rnd(10) === 0;
        const access = "at-" + rnd(1e9) + "a".repeat(big ? (1 << 20) - 200 - rnd(1 << 16) : rnd(5000));
        const body = JSON.stringify({ access_token: access, token_type: "Bearer", expires_in: 3600, refresh_token: "rt-" + rnd(1e9) });
        if (overflow && rnd(10) === 0) near(() => c.parseTokenResponse({ status: 200, body }));
        const t = c.parseTokenResponse({ status: 200, body });
        check("access", t.accessToken, access);
        let refused = "none";
        try { c.parseTokenResponse({ status: 200, body: body + " ".repeat((1 << 20) - body.length + 1) }); } catch (e) { refused = e.code; }
        check("over", refused, "input_too_large");
      } else {
        const key = "K".repeat(32 + rnd(300)) + rnd(1e6);
        const claims = { sub: "user-" + rnd(1e9), exp: 1765003600, aud: "api", x: "y".repeat(rnd(3000)) };
        const head = b64(JSON.stringify({ alg: "HS256", typ: "JWT" })), pay = b64(JSON.stringify(claims));
        const sig = createHmac("sha256", key).update(head + "." + pay).digest("base64url");
        const jwk = { kty: "oct", k: b64(key), alg: "HS256" };
        const got = await m.verifyAccessToken(`${head}.${pay}.${sig}`, { key: jwk, audience: "api", algorithms: ["HS256"] });
        check("jwt", got.sub, claims.sub);
        let refused = "none";
        try { await m.verifyAccessToken(`${head}.${pay}.${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}`, { key: jwk, audience: "api", algorithms: ["HS256"] }); } catch (e) { refused = e.code; }
        check("jwtbad", refused, "invalid_signature");
      }
    }
    sizes.push(made[0].memory.buffer.byteLength / 65536);
  }
  for (const { c } of live) c.free();
  return { ops, bad, sizes, overflows: overflows > 0, sp: fullPointer(made[0])?.value };
}

/** Re-entry: a replaced Date.now and crypto.getRandomValues that, now and then, run app code inside the wasm's
 * imports: other clients' and the same client's calls, free(), new clients, overflows at the stack's limit. Every
 * answer, outer and nested, is checked against its own flow. */
export async function reentry(pkg, n, seed = 11) {
  seededRandom(seed);
  const realRandom = globalThis.crypto.getRandomValues;
  const { made, restore } = catchInstances();
  const m = await import(pkg + "node.js");
  restore();
  let s = seed;
  const rnd = (k) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % k;
  const redirectUri = "https://app.example/cb";
  const bad = [];
  let nested = 0, depth = 0, overflows = 0, refusedFreed = 0, trace = [];
  const clients = [];
  const make = () => new m.OAuthClient({ provider: "billit", clientId: "c" + rnd(1e6), clientSecret: "sec-" + rnd(1e9), redirectUri, stateKey: ["k".repeat(32 + rnd(64))] });
  for (let i = 0; i < 6; i++) clients.push(make());
  // The op at the 40 frames nearest the stack's limit only (cheaper than at every depth).
  const near = (op) => { let left = 40; const deep = () => { try { deep(); } catch {} if (left-- > 0) try { op(); } catch (e) { if (e instanceof RangeError) overflows++; else if (e?.code !== "random_unavailable") throw e; } }; deep(); };
  const flow = (c) => {
    const payload = "pl-" + rnd(1e9);
    const f = c.startAuthorization({ payload });
    const code = "cd-" + rnd(1e9) + "x".repeat(rnd(3) ? rnd(100) : 9000);
    const cb = c.parseCallback(`${redirectUri}?code=${code}&state=${f.state}`, f.pending);
    if (cb.code !== code || cb.payload !== payload) bad.push(["flow", String(cb.code).slice(0, 30), code.slice(0, 30), cb.payload, payload]);
  };
  const meddle = () => {
    if (depth > 2 || rnd(3)) return;
    depth++;
    nested++;
    try {
      const k = rnd(6), i = rnd(clients.length);
      trace.push([k, depth, i]);
      try {
        if (k === 0) flow(clients[i]);
        else if (k === 1) { clients[i].free(); clients[i] = make(); }
        else if (k === 2) near(() => flow(clients[i]));
        else if (k === 3) clients.push(make());
        else if (k === 4) m.newPkceVerifier();
        else flow(clients[i]);
      } catch (e) {
        if (e?.code === "invalid_argument") refusedFreed++;
        else if (!(e instanceof RangeError)) bad.push(["nested", e?.code ?? String(e)]);
      }
    } finally {
      depth--;
    }
  };
  Date.now = () => { meddle(); return 1765000000000; };
  Object.defineProperty(globalThis.crypto, "getRandomValues", { value: (a) => { meddle(); return realRandom(a); }, configurable: true, writable: true });
  for (let i = 0; i < n; i++) {
    const c = clients[rnd(clients.length)];
    trace = [];
    try {
      flow(c);
    } catch (e) {
      if (e?.code === "invalid_argument") refusedFreed++;
      else bad.push(["outer", e?.code ?? String(e), String(e?.cause), i, JSON.stringify(trace)]);
    }
    if (clients.length > 30) clients.splice(0, 10).forEach((c) => c.free());
  }
  Date.now = () => 1765000000000;
  const c = make();
  flow(c);
  return { bad: bad.slice(0, 10), badCount: bad.length, nested: nested > 100, overflows: overflows > 0, sp: fullPointer(made[0])?.value, pages: made[0].memory.buffer.byteLength / 65536 };
}

/** F1: clients with secrets of growing sizes, 200 live at once, each batch freed before the next: the memory's pages
 * after each batch, and after the same batches once more. */
export async function fragment(pkg) {
  const { made, restore } = catchInstances();
  const m = await import(pkg + "node.js");
  restore();
  const redirectUri = "https://app.example/cb";
  const pages = () => made[0].memory.buffer.byteLength / 65536;
  const out = [pages()];
  const sizes = [100, 300, 700, 1500, 3000, 6000, 12000, 25000, 50000];
  for (let again = 0; again < 2; again++) {
    for (const len of sizes) {
      const cs = [];
      for (let i = 0; i < 200; i++) cs.push(new m.OAuthClient({ provider: "billit", clientId: "c", clientSecret: "s".repeat(len), redirectUri }));
      cs.forEach((c) => c.free());
      if (!again) out.push(pages());
    }
  }
  out.push(pages());
  return out;
}

/** The page build: overflows at the 40 frames nearest the stack's limit inside its errors' answers (provider errors,
 * messages with parts) and its successes; then the same calls answer as before, and the memory stops growing. */
export async function pageOverflows(pkg, rounds) {
  seededRandom(21);
  Date.now = () => 1765000000000;
  const { made, restore } = catchInstances();
  const hide = exposePointer();
  const m = await import(pkg + "page-node.js");
  restore();
  hide();
  const redirectUri = "https://app.example/cb";
  const c = new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri });
  const f = c.startAuthorization({ payload: "p" });
  const answer = (op) => { try { return JSON.stringify(op()); } catch (e) { return [e.constructor.name, e.code, e.message, e.providerCode, e.providerMessage].join("|"); } };
  const ops = [
    () => c.parseCallback(`${redirectUri}?error=access_denied&error_description=no%C3%A9{}&state=${f.state}`, f.pending),
    () => c.parseCallback(`${redirectUri}?error=x%20y&state=${f.state}`, f.pending),
    () => c.startAuthorization({ params: { "k\u00e9{}": "v", state: "s" } }),
    () => new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri, environment: "n\u00e9pe" }),
    () => new m.OAuthClient({ provider: "custom", clientId: "c", redirectUri }),
    () => c.parseCallback(`${redirectUri}?code=C&state=${f.state}`, f.pending).code,
    () => m.pkceChallenge("v".repeat(43)),
  ];
  const before = ops.map(answer);
  let overflows = 0, other = 0;
  const near = (op) => { let left = 40; const deep = () => { try { deep(); } catch {} if (left-- > 0) try { op(); } catch (e) { if (e instanceof RangeError) overflows++; else if (!(e instanceof m.OAuthError)) other++; } }; deep(); };
  const pages = [];
  for (let r = 0; r < rounds; r++) {
    for (const op of ops) near(op);
    pages.push(made[0].memory.buffer.byteLength / 65536);
  }
  const after = ops.map(answer);
  // The page's pointer: `g` since the twenty-fifth session, exported by a test's copy only since the twenty-sixth
  // (stack.mjs).
  return { same: JSON.stringify(before) === JSON.stringify(after), before, other, overflows: overflows > 0, sp: made[0].g?.value, pages };
}
