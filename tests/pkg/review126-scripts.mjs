// Review 126's scripts (tests/pkg/review126.test.mjs): each runs in a child Node process (child.mjs) on a
// package URL `pkg`, with the random bytes and the clock fixed, and answers a summary (counts and a hash of
// every answer) that the test pins.
import { readFileSync, readdirSync } from "node:fs";
import { createHash } from "node:crypto";
import { xorshift } from "./frozen.mjs";

const hash = (x) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 16);

// xorshift32 random bytes in place of the platform's, and a fixed clock.
export function freeze(seed = 126) {
  const { next } = xorshift(seed);
  Date.now = () => 1765000000000;
  return next;
}

const outcome = (f) => {
  try {
    const r = f();
    return r && typeof r === "object" ? { ...r } : r;
  } catch (e) {
    return e && e.code ? ["ERR", e.code, e.message, e.providerCode ?? null, e.providerMessage ?? null] : ["THROW", String(e)];
  }
};

const redirectUri = "https://app.example.com/cb";
const SIZES = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097, 8191, 8192, 8193, 16383, 16384, 16385];
const CHARS = ["a", "é", "&", "=", " ", "%", "€", "~", ":", "1", "+", "/", "\u{1F600}"];

// Random clients, starts, callbacks (good, provider errors, tampered) and PKCE over every size class: each
// answer, hashed. `file` is page-node.js or node.js.
export async function workload(pkg, file, rounds = 400) {
  const rnd = freeze(2026);
  const m = await import(pkg + file);
  const pick = (a) => a[rnd() % a.length];
  const text = (n) => {
    let t = "";
    while (t.length < n) t += pick(CHARS);
    return t.length > n ? t.slice(0, n - 1) + "z" : t;
  };
  const answers = [];
  let ok = 0, failed = 0, finished = 0;
  const note = (x) => (answers.push(x), Array.isArray(x) ? failed++ : ok++, x);
  for (let r = 0; r < rounds; r++) {
    const keys = rnd() % 10;
    const stateKey = Array.from({ length: keys }, (_, i) => "K".repeat(32 + (rnd() % 40)) + i);
    const options = {
      provider: "custom",
      clientId: "c" + text(pick(SIZES) % 3000),
      redirectUri: redirectUri + (rnd() % 2 ? "/" + "p".repeat(pick(SIZES) % 500) : ""),
      stateKey: keys === 1 ? stateKey[0] : stateKey,
      endpoints: { authorize: "https://as.example.com/authorize" + (rnd() % 2 ? "?x=" + "y".repeat(rnd() % 300) : ""), token: "https://as.example.com/token" },
      preset: {
        authorizeParams: Object.fromEntries(Array.from({ length: rnd() % 12 }, (_, i) => [`ap${i}`, text(pick(SIZES) % 600)])),
        codeParams: rnd() % 3 ? ["code"] : Array.from({ length: 1 + (rnd() % 6) }, (_, i) => (i ? `cp${i}` : "code")),
      },
    };
    let c;
    const made = note(outcome(() => ((c = new m.OAuthClient(options)), { provider: c.provider, environment: c.environment })));
    if (!c) continue;
    for (let k = 0; k < 3; k++) {
      const start = {
        scopes: Array.from({ length: rnd() % 30 }, (_, i) => `s${i}.${"x".repeat(rnd() % 60)}`),
        payload: rnd() % 4 ? text(pick(SIZES) % 5000) : undefined,
        params: Object.fromEntries(Array.from({ length: rnd() % 20 }, (_, i) => [`q${i}`, text(pick(SIZES) % 900)])),
      };
      const s = note(outcome(() => c.startAuthorization(start)));
      if (Array.isArray(s)) continue;
      const code = "C" + text(pick(SIZES) % 3000);
      const got = note(outcome(() => c.parseCallback(`${redirectUri}?code=${encodeURIComponent(code)}&state=${s.state}`, s.pending)));
      if (!Array.isArray(got) && got.code === code && got.flowId === s.flowId && (got.payload ?? undefined) === start.payload) finished++;
      note(outcome(() => c.parseCallback(`${redirectUri}?error=e${r}&error_description=${encodeURIComponent(text(pick(SIZES) % 2000) + "\u0001")}&state=${s.state}`, s.pending)));
      const at = rnd() % s.pending.length;
      note(outcome(() => c.parseCallback(`${redirectUri}?code=x&state=${s.state}`, s.pending.slice(0, at) + (s.pending[at] === "A" ? "B" : "A") + s.pending.slice(at + 1))));
    }
    const v = note(outcome(() => m.newPkceVerifier()));
    note(outcome(() => m.pkceChallenge(typeof v === "string" && rnd() % 2 ? v : text(rnd() % 140))));
    c.free();
    note(outcome(() => c.startAuthorization({})));
  }
  const codes = {};
  for (const a of answers) if (Array.isArray(a)) codes[a[1]] = (codes[a[1]] ?? 0) + 1;
  return { ok, failed, finished, codes, hash: hash(answers) };
}

// Re-entry through the app's code the page glue calls between its exports: a replaced
// TextEncoder.prototype.encodeInto and crypto.getRandomValues that run other flows, throw, or call in at the JS
// stack's limit (a RangeError unwinding the wasm's frames). Every outer flow that answers must finish with its
// own code, and nothing of a nested flow (its code, state, pending) may appear in an outer answer.
export async function reentry(pkg, rounds = 3000) {
  const rnd = freeze(7);
  const m = await import(pkg + "page-node.js");
  const inner = new m.OAuthClient({ provider: "billit", clientId: "inner", redirectUri, stateKey: "I".repeat(40) });
  const outer = new m.OAuthClient({ provider: "billit", clientId: "outer", redirectUri, stateKey: "O".repeat(40) });
  const innerSeen = new Set();
  let depth = 0, nested = 0, thrown = 0, limits = 0;
  const act = () => {
    const k = rnd() % 6;
    if (k === 0) {
      const s = inner.startAuthorization({ payload: "INNER" + "i".repeat(rnd() % 3000) });
      innerSeen.add(s.state), innerSeen.add(s.pending);
      const code = "INNERCODE" + rnd();
      innerSeen.add(code);
      const got = inner.parseCallback(`${redirectUri}?code=${code}&state=${s.state}`, s.pending);
      if (got.code !== code) throw new Error("inner flow answered another code");
    } else if (k === 1) innerSeen.add(m.newPkceVerifier());
    else if (k === 2) m.pkceChallenge("v".repeat(43 + (rnd() % 80)));
    else if (k === 3) try { new m.OAuthClient({ provider: "billit", clientId: "x", redirectUri, stateKey: "short" }); } catch {}
    else if (k === 4) try { inner.parseCallback(`${redirectUri}?error=INNERERR&error_description=${"d".repeat(rnd() % 4000)}`, "p2.x"); } catch {}
    else void inner.provider;
  };
  // Calls `f` at the JS stack's limit (and a few frames above it).
  const atLimit = (f, above) => {
    const go = (n) => {
      try {
        return go(n + 1);
      } catch {
        if (above-- > 0) throw new RangeError("up");
        try { f(); } catch {}
        return 0;
      }
    };
    go(0);
    limits++;
  };
  const hook = () => {
    if (depth > 2) return;
    depth++;
    try {
      const r = rnd() % 10;
      if (r < 3) (nested++, act());
      else if (r === 3) (thrown++, (() => { throw new Error("app"); })());
      else if (r === 4) atLimit(act, rnd() % 40);
    } finally {
      depth--;
    }
  };
  const { encodeInto } = TextEncoder.prototype;
  const gRV = crypto.getRandomValues;
  TextEncoder.prototype.encodeInto = function (t, into) { hook(); return encodeInto.call(this, t, into); };
  crypto.getRandomValues = (a) => (hook(), gRV(a));
  const answers = [];
  let good = 0, refused = 0, appErrors = 0, foreign = 0, dropped = 0;
  for (let i = 0; i < rounds; i++) {
    const payload = "OUTER" + "o".repeat(rnd() % 2000);
    let s;
    try {
      s = outer.startAuthorization({ payload, scopes: ["a", "b".repeat(rnd() % 100)] });
    } catch (e) {
      e.code ? refused++ : appErrors++;
      answers.push(e.code ?? "app");
      continue;
    }
    const code = "OUTERCODE" + i;
    let got;
    try {
      got = outer.parseCallback(`${redirectUri}?code=${code}&state=${s.state}`, s.pending);
    } catch (e) {
      e.code ? refused++ : appErrors++;
      answers.push(e.code ?? "app");
      continue;
    }
    const all = JSON.stringify([s, got]);
    // Another flow's bytes, or another code or state: none. A payload missing (review 126 A): counted apart.
    if (got.code !== code || got.state !== s.state || got.flowId !== s.flowId || all.includes("INNER") || [...innerSeen].some((x) => x && all.includes(x))) foreign++;
    else if (got.payload !== payload) dropped++;
    else good++;
    answers.push([s.url.length, s.state, got.code, got.flowId]);
  }
  TextEncoder.prototype.encodeInto = encodeInto;
  crypto.getRandomValues = gRV;
  // Afterwards, plain flows still answer right.
  const s = outer.startAuthorization({ payload: "after" });
  const after = outer.parseCallback(`${redirectUri}?code=last&state=${s.state}`, s.pending).code;
  return { good, refused, appErrors, foreign, dropped, nested: nested > 100, thrown: thrown > 100, limits: limits > 100, after, hash: hash(answers) };
}

// The page's raw exports driven directly: options records whose every count (and length) is forged to the most
// the reader accepts (the bytes left: `filled` reserves that many items), to 0 and past it; `a` at sizes up to
// the 16 MiB text limit and past isize::MAX (a trap, then the instance still answers).
export async function raw(pkg) {
  freeze(11);
  const snippets = new URL("snippets/" + readdirSync(new URL("snippets/", pkg)).find((d) => d.startsWith("partner-oauth-")) + "/src/wasm/options.js", pkg);
  const { clientOptions } = await import(snippets);
  const mod = new WebAssembly.Module(readFileSync(new URL("page/partner_oauth_bg.wasm", pkg)));
  const w = new WebAssembly.Instance(mod, {}).exports;
  const te = new TextEncoder();
  let traps = 0;
  const call = (f) => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      traps++;
      return "trap";
    }
  };
  const slots = () => new Float64Array(w.memory.buffer, w.s(), 12).slice();
  const client = (record) => {
    const bytes = te.encode(record);
    return call(() => {
      const at = w.a(bytes.length) >>> 0;
      new Uint8Array(w.memory.buffer).set(bytes, at);
      const failed = w.n(at, bytes.length, bytes.length, 0);
      const s = slots();
      w.d(s[2], s[3]);
      if (!failed) w.f(s[4]);
      return failed ? ["ERR", s[4]] : "OK";
    });
  };
  const base = [
    { provider: "custom", clientId: "c", redirectUri, stateKey: ["k".repeat(32), "j".repeat(33), "l".repeat(34)], endpoints: { authorize: "https://as.example/a", token: "https://as.example/t" }, preset: { authorizeParams: { x: "1", y: "2" }, codeParams: ["code", "z"] } },
    { provider: "factorial", clientId: "f", redirectUri, environment: "demo", stateKey: "s".repeat(40) },
  ].map(clientOptions);
  // Tokens: `~` or `N:text`.
  const tokens = (r) => {
    const out = [];
    for (let i = 0; i < r.length; ) {
      if (r[i] === "~") { out.push([i, i + 1, null]); i++; continue; }
      const colon = r.indexOf(":", i);
      const n = Number(r.slice(i, colon));
      out.push([i, colon + 1 + n, r.slice(colon + 1, colon + 1 + n)]);
      i = colon + 1 + n;
    }
    return out;
  };
  const answers = [];
  const before = w.memory.buffer.byteLength;
  for (const record of base) {
    answers.push(client(record));
    for (const [from, to, value] of tokens(record)) {
      if (value === null || !/^\d+$/.test(value)) continue;
      const rest = record.length - to;
      for (const n of [rest, rest + 1, 0, 2 ** 32 + 1, rest * 1000]) {
        const v = String(n);
        answers.push(client(record.slice(0, from) + v.length + ":" + v + record.slice(to)));
      }
    }
    // A long tail of `~`: the count of the last list at the bytes left reserves that many items.
    for (const [from, to, value] of tokens(record).slice(-12)) {
      if (value === null || !/^\d+$/.test(value)) continue;
      const tail = "~".repeat(200000);
      const v = String(tail.length);
      answers.push(client(record.slice(0, from) + v.length + ":" + v + record.slice(to) + tail));
    }
  }
  const grew = w.memory.buffer.byteLength - before;
  // `a` at the edges; each block handed back with `d` (as an answer's).
  const sizes = [0, 1, 7, 8, 9, 4095, 4096, 4097, 65535, 65536, 65537, (1 << 24) * 3, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];
  const blocks = sizes.map((n) => call(() => {
    const at = w.a(n) >>> 0;
    w.d(at, n);
    return at === 0 ? "null" : at % Math.min(65536, 2 ** Math.ceil(Math.log2(Math.max(n, 8)))) === 0 ? "aligned" : "unaligned";
  }));
  // Still answering after the traps.
  const after = client(base[0]);
  return { records: answers.length, traps, grewMiB: Math.round(grew / 2 ** 20), blocks, after, hash: hash(answers) };
}

// After starts and callbacks whose buffers grow through every size (each growth moves the bytes to a new block and
// frees the old), the clients freed: does the page's memory still hold a state key, a code, a verifier or a payload?
export async function residue(pkg) {
  freeze(3);
  const m = await import(pkg + "page-node.js");
  // The instance page-node.js made (a second initSync keeps the first).
  const w = (await import(pkg + "page/partner_oauth.js")).initSync({ module: null });
  const redirectUri = "https://app.example.com/cb";
  const verifiers = [];
  let flows = 0;
  for (let r = 0; r < 60; r++) {
    const keys = Array.from({ length: 1 + (r % 8) }, (_, i) => `STATEKEY${r}x${i}`.padEnd(32 + i * 7, "Q"));
    const c = new m.OAuthClient({ provider: "custom", clientId: "c".repeat(1 + ((r * 37) % 500)), redirectUri, stateKey: keys.length === 1 ? keys[0] : keys,
      endpoints: { authorize: "https://as.example.com/a", token: "https://as.example.com/t" }, preset: { authorizeParams: { x: "y".repeat(r * 50) }, codeParams: ["code"] } });
    for (const n of [0, 1, 100, 500, 1000, 1023, 1024, 1025, 1500, 2030]) {
      const s = c.startAuthorization({ payload: `PAYLOADSECRET${r}`.padEnd(n + 13, "P"), scopes: Array.from({ length: r % 20 }, (_, i) => "sc" + i) });
      const got = c.parseCallback(`${redirectUri}?code=CODESECRET${r}x${n}${"Z".repeat(n)}&state=${s.state}`, s.pending);
      if (got.code.startsWith("CODESECRET")) flows++;
    }
    verifiers.push(m.newPkceVerifier());
    c.free();
  }
  const bytes = Buffer.from(w.memory.buffer);
  const count = (t) => { let c = 0, at = 0; while ((at = bytes.indexOf(t, at)) >= 0) { c++; at++; } return c; };
  return { flows, left: { key: count("STATEKEY"), code: count("CODESECRET"), payload: count("PAYLOADSECRET"), verifier: verifiers.filter((v) => count(v) > 0).length } };
}
