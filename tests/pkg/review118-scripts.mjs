// Review 118's child scripts (tests/pkg/review118.test.mjs runs them; each is a function whose source runs in a
// child Node process with the package directory `pkg` as its argument, and answers a JSON-able value). The clock and
// crypto.getRandomValues are fixed inside each script, before the package is imported.

/** crypto.getRandomValues answering a linear congruential sequence from `seed` (review 119's scripts use it too). */
export function seededRandom(seed) {
  let s = seed;
  Object.defineProperty(globalThis.crypto, "getRandomValues", {
    value: (a) => {
      const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      for (let i = 0; i < u.length; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        u[i] = s >>> 24;
      }
      return a;
    },
    configurable: true,
    writable: true,
  });
}

/** Callbacks, provider errors, tampered states and pending values, failing constructor options: every answer, for
 * one entry (node.js or page-node.js). */
/** f()'s value, or the error's code, message and provider fields (review 119's scripts use it too). */
export function ser(f) {
  try {
    return { ok: f() };
  } catch (e) {
    const r = { err: e?.code ?? e?.constructor?.name + ":" + e?.message, msg: e?.message };
    if (e?.providerCode !== undefined) r.pc = e.providerCode;
    if (e?.providerMessage !== undefined) r.pm = e.providerMessage;
    return r;
  }
}

export async function diff(pkg, entry) {
  seededRandom(7);
  const NOW = 1765000000000;
  Date.now = () => NOW;
  const m = await import(pkg + entry);
  const redirectUri = "https://app.example/cb";
  const cbAnswer = (r) => [r.code, r.state, r.payload, r.payloadVerified, r.iss, r.flowId, r.flowExpiresAt];
  const out = {};
  const base = { provider: "billit", clientId: "c", redirectUri };
  const KEY = "k".repeat(32);
  const clients = { keyless: new m.OAuthClient(base), keyed: new m.OAuthClient({ ...base, stateKey: [KEY, "j".repeat(40)] }) };
  const hex = (b) => "%" + b.toString(16).padStart(2, "0");
  for (const [name, c] of Object.entries(clients)) {
    const f = c.startAuthorization({ payload: "pay" });
    const st = f.state;
    const q = [];
    // `=` inside names and values, %3D, empty names and values, &&, +.
    const pieces = ["code=a=b", "code==", "code=%3D", "code%3D=x", "code%3Dx=y", "=code", "=", "==", "=x", "code", "code=", "code=+", "code+=x", "+code=x",
      "code=a+b", "code=a%2Bb", "c%6Fde=X", "%63%6f%64%65=X", "cod%65=X", "code%=X", "code%3=X", "code=%", "code=%3", "code=%G1", "code=%%3D", "code=%3%3D",
      "code%00=X", "code=X%00", "iss=I=J", "is%73=I", "iss", "iss=", "&&", "&", "code=X&&", "&&code=X", "code=X&code=Y", "code=X&code=X", "code=&code=X",
      "code=X&code=", "code=X&c%6fde=Y", "x=1=2=3", "x%3D1=2", "%3D=%3D", "%3D", "%3d%3d=%3d", "%=", "=%", "%2=", "%=2", "code%20=X", "code =X", "code=X#frag",
      "code=X%23f", "state=" + st, "st%61te=" + st, "state%3D" + st, "code=X&state=" + st + "=", "code=X&state=" + st + "%3D", "code=X&state==" + st];
    for (const p of pieces) {
      q.push(`${p}&state=${st}`, `code=C&state=${st}&${p}`, `${p}`, `state=${st}&${p}&code=Z`);
    }
    // Every %XX in a name and in a value, upper and lower case.
    for (let b = 0; b < 256; b++) {
      const h = hex(b);
      q.push(`code=${h}&state=${st}`, `code=${h.toUpperCase()}x&state=${st}`, `x${h}=1&code=C&state=${st}`, `code${h}=1&state=${st}`, `${h}=${h}&code=C&state=${st}`);
    }
    // Provider errors, with and without a description.
    for (const e of ["access_denied", "", "a=b", "a%3Db", "%FF", "%C3%A9", "a+b", "%", "x".repeat(300)]) {
      q.push(`error=${e}&state=${st}`, `error=${e}`, `error=${e}&error_description=${e}&state=${st}`, `error=${e}&error_description=&state=${st}`,
        `error=${e}&error_description&state=${st}`, `error&state=${st}`, `error_description=${e}&state=${st}`, `err%6Fr=${e}&state=${st}`,
        `error=${e}&error%5Fdescription=d%3Dd=e&state=${st}`, `code=C&error=${e}&state=${st}`, `error=${e}&error=${e}2&state=${st}`,
        `error=${e}&error_description=${e}&error_description=2&state=${st}`, `error=${e}&error_uri=u&error_description=${e}&iss=i&state=${st}`);
    }
    // Very many pairs, and the 16,384-byte limits.
    for (const n of [100, 1000, 4000, 5460, 5461, 8191, 8192]) q.push(`code=C&state=${st}&` + "&".repeat(n), `code=C&state=${st}&` + "a=&".repeat(n), `code=C&state=${st}&` + "=&".repeat(n), `code=C&state=${st}&` + "==".repeat(n));
    for (const d of [-3, -2, -1, 0, 1, 2]) {
      const pre = `code=`;
      const post = `&state=${st}`;
      for (const fill of ["c", "%3D", "=", "+", "%"]) {
        const n = Math.max(0, Math.floor((16384 + d - pre.length - post.length - redirectUri.length - 1) / fill.length));
        q.push(pre + fill.repeat(n) + post);
      }
      q.push(`code=C&state=${st}&x=` + "y".repeat(16384 + d - redirectUri.length - 1 - `code=C&state=${st}&x=`.length));
      q.push(`code=C&state=${st}&` + "z".repeat(16384 + d - redirectUri.length - 1 - `code=C&state=${st}&`.length));
      q.push(`code=C&state=${st}&` + "=".repeat(16384 + d - redirectUri.length - 1 - `code=C&state=${st}&`.length));
    }
    out["q_" + name] = q.length;
    out["cb_" + name] = q.map((x) => ser(() => cbAnswer(c.parseCallback(redirectUri + "?" + x, f.pending))));
    out["frag_" + name] = q.slice(0, 240).map((x) => ser(() => cbAnswer(c.parseCallback(redirectUri + "#" + x, f.pending))));
    out["frag2_" + name] = q.slice(0, 240).map((x) => ser(() => cbAnswer(c.parseCallback(redirectUri + "?a=b#" + x, f.pending))));
    // Tampered states and pending values.
    const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const p = String(f.pending);
    const t = [];
    for (let i = 0; i < p.length; i++) {
      const k = B64.indexOf(p[i]);
      t.push(ser(() => c.parseCallback(`${redirectUri}?code=C&state=${st}`, p.slice(0, i) + (k < 0 ? "A" : B64[(k + 1) % 64]) + p.slice(i + 1)).code));
      if (i % 3 === 0) t.push(ser(() => c.parseCallback(`${redirectUri}?code=C&state=${st}`, p.slice(0, i)).code));
    }
    for (let i = 0; i < st.length; i++) {
      const k = B64.indexOf(st[i]);
      t.push(ser(() => c.parseCallback(`${redirectUri}?code=C&state=${st.slice(0, i) + (k < 0 ? "A" : B64[(k + 1) % 64]) + st.slice(i + 1)}`, p).code));
      t.push(ser(() => c.parseCallback(`${redirectUri}?code=C&state=${st.slice(0, i)}%${st.slice(i)}`, p).code));
      t.push(ser(() => c.parseCallback(`${redirectUri}?code=C&state=${st.slice(0, i)}=${st.slice(i)}`, p).code));
      t.push(ser(() => c.parseCallback(`${redirectUri}?code=C&state=${st.slice(0, i)}${hex(st.charCodeAt(i))}${st.slice(i + 1)}`, p).code));
    }
    out["tamper_" + name] = t;
  }
  // Constructor options failing at every field (the error answer).
  const bad = [undefined, null, 5, "x", {}, { ...base, provider: undefined }, { ...base, provider: 5 }, { ...base, provider: "nope" }, { ...base, provider: "" },
    { ...base, clientId: undefined }, { ...base, clientId: "" }, { ...base, clientId: 5 }, { ...base, clientId: "a\u0000" }, { ...base, redirectUri: undefined },
    { ...base, redirectUri: "" }, { ...base, redirectUri: "http://x/cb" }, { ...base, redirectUri: "notaurl" }, { ...base, redirectUri: "https://a/cb#f" },
    { ...base, environment: "nope" }, { ...base, environment: 5 }, { ...base, environment: "" }, { ...base, stateKey: "short" }, { ...base, stateKey: 5 },
    { ...base, stateKey: [] }, { ...base, stateKey: Array(9).fill(KEY) }, { ...base, stateKey: [KEY, 5] }, { ...base, clientSecret: 5 }, { ...base, clientSecret: "" },
    { ...base, preset: 5 }, { ...base, preset: { pkce: "nope" } }, { ...base, preset: { scopeSeparator: 5 } }, { ...base, preset: { issuer: "nope" } },
    { ...base, preset: { codeParams: [5] } }, { ...base, preset: { codeParams: "x" } }, { ...base, preset: { authorizeParams: { state: "x" } } },
    { ...base, preset: { authorizeParams: { a: 5 } } }, { ...base, endpoints: { authorize: "https://a/a" } }, { provider: "custom", clientId: "c", redirectUri },
    { provider: "custom", clientId: "c", redirectUri, endpoints: {} }, { provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "nope" } },
    { provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://a/a", token: "nope" } },
    { provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://a/a", token: "https://a/t", revoke: "nope" } },
    { provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://a/a", token: "https://a/t", api: "nope" } },
    { provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://a/a", token: "https://a/t", userinfo: "nope" } },
    { provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://a/a", token: "https://a/t", api: "https://a/", revoke: "https://a/r", userinfo: "https://a/u" } },
    { provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://a/a", token: "https://a/t" }, preset: { scopes: Array(200).fill("s") } },
    { provider: "factorial", clientId: "c", redirectUri }, { provider: "factorial", clientId: "c", redirectUri, stateKey: KEY }, { ...base, unknownOption: 1 }];
  // Values options.js' copy() refuses (then the JSON round trip), or copies.
  let reads = 0;
  const deep = (n) => (n === 0 ? "v" : { a: deep(n - 1) });
  bad.push({ ...base, preset: { codeParams: ["a", , "b"] } }, { ...base, ["\uD800"]: 1 }, { ...base, ["x\uDC00"]: undefined }, { ...base, preset: { toJSON: () => ({}) } },
    { ...base, toJSON: () => ({ provider: "factorial", clientId: "t", redirectUri }) }, { ...base, toJSON: 5 },
    Object.defineProperty({ ...base }, "clientId", { enumerable: true, get: () => (reads++ ? "second" : "first") }),
    new Proxy({ ...base }, { get: (t, k) => (k === "clientId" ? "proxied" + reads++ : t[k]) }), { ...base, stateMaxAge: NaN }, { ...base, stateMaxAge: Infinity },
    { ...base, stateMaxAge: -0 }, { ...base, stateMaxAge: 1e21 }, { ...base, stateMaxAge: 2 ** 53 }, { ...base, stateMaxAge: 1.5 }, { ...base, stateMaxAge: -1 },
    JSON.parse(`{"provider":"billit","clientId":"c","redirectUri":"${redirectUri}","__proto__":{"x":1}}`), { ...base, preset: { authorizeParams: JSON.parse(`{"__proto__":"v"}`) } },
    { ...base, preset: { authorizeParams: { ["k\uD800"]: "v" } } }, { ...base, preset: { authorizeParams: { k: "v\uD800" } } }, { ...base, clientId: "c\uD800" },
    new (class { provider = "billit"; clientId = "c"; redirectUri = redirectUri })(), Object.create(null), Object.assign(Object.create(null), base),
    { ...base, environment: undefined }, { ...base, preset: undefined }, { ...base, preset: null }, { ...base, preset: [] }, { ...base, stateKey: ["k".repeat(32), , "j".repeat(32)] },
    { ...base, extra: deep(63) }, { ...base, extra: deep(64) }, { ...base, extra: deep(65) }, { ...base, extra: 10n }, { ...base, extra: Symbol() }, { ...base, extra: () => 1 },
    { ...base, stateKey: new String("k".repeat(32)) }, { ...base, clientId: new String("c") }, [base], { ...base, preset: { grants: ["refresh_token", "nope"] } },
    { ...base, preset: { grants: [] } }, { ...base, preset: { pkce: "supported", clientAuth: "basic", tokenBody: "json", introspection: "bearer_json", responseType: true } });
  out.ctor = bad.map((o) => ser(() => {
    const c = new m.OAuthClient(o);
    const r = [c.provider, c.environment, ser(() => c.startAuthorization({}).url)];
    c.free?.();
    return r;
  }));
  const sc = new m.OAuthClient(base);
  const startOpts = [{ scopes: ["a", , "b"] }, { payload: "p\uD800" }, { params: JSON.parse('{"__proto__":"x"}') }, { params: { ["\uDFFF"]: "v" } }, { toJSON: () => ({ payload: "t" }) },
    Object.defineProperty({}, "payload", { enumerable: true, get: () => "g" + reads++ }), { payload: deep(70) }, { tokenKind: 5 }, { scopes: "a" }, null, undefined, 5, [], { params: { a: 1 } }];
  out.startOpts = startOpts.map((o) => ser(() => { const f = sc.startAuthorization(o); return [f.url, String(f.pending).length]; }));
  const fc = new m.OAuthClient(base);
  fc.free();
  out.freed = [ser(() => fc.provider), ser(() => fc.startAuthorization({})), ser(() => fc.parseCallback(redirectUri + "?code=C&state=x", "p2.x"))];
  return out;
}

/** The page build through its raw glue: thousands of clients, starts and callbacks (and refused ones, and failed
 * constructors); the memory's growth after the first third, and which secrets remain in the heap. */
export async function heap(pkg) {
  seededRandom(3);
  Date.now = () => 1765000000000;
  const { readFileSync } = await import("node:fs");
  const redirectUri = "https://app.example/cb";
  const glue = await import(pkg + "page/partner_oauth.js?review118");
  const ex = glue.initSync({ module: readFileSync(new URL("page/partner_oauth_bg.wasm", pkg)) });
  const low = ex.memory.buffer.byteLength;
  const sizes = [];
  let errors = 0;
  const N = 3000;
  for (let i = 0; i < N; i++) {
    const c = new glue.OAuthClient({ provider: "factorial", clientId: "c" + i, redirectUri, stateKey: "k".repeat(32 + (i % 50)) });
    const f = c.startAuthorization({ payload: "p".repeat(i % 700), tokenKind: i % 2 ? "user" : "company" });
    const r = c.parseCallback(`${redirectUri}?code=C${i}%3D=x&state=${f.state}&${Array.from({ length: i % 40 }, (_, j) => `a${j}=b=c&`).join("")}`, f.pending);
    if (r.code !== `C${i}==x`) throw new Error("code " + r.code);
    for (const u of [`error=e${i}&error_description=${"d=".repeat(i % 200)}&state=${f.state}`, `error=e${i}&state=${f.state}`, `code=C&state=${f.state}x`]) {
      try {
        c.parseCallback(`${redirectUri}?${u}`, f.pending);
      } catch {
        errors++;
      }
    }
    for (const o of [{ provider: "nope", clientId: "c", redirectUri }, { provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://a/a", token: "no" } }, { provider: "billit", clientId: "c", redirectUri, stateKey: "short" }]) {
      try {
        new glue.OAuthClient(o);
      } catch {
        errors++;
      }
    }
    c.free();
    if (i === 1000 || i === N - 1) sizes.push(ex.memory.buffer.byteLength);
  }
  const KEYU = "KEY-unique-0123456789-abcdefghijk";
  const c = new glue.OAuthClient({ provider: "billit", clientId: "c", redirectUri, stateKey: KEYU, preset: { pkce: "required" } });
  const f = c.startAuthorization({ payload: "PAYLOAD-unique-42" });
  const CODE = "CODE-unique-0123456789";
  const r = c.parseCallback(`${redirectUri}?code=${CODE}&state=${f.state}`, f.pending);
  try {
    c.parseCallback(`${redirectUri}?error=ERR-unique-77&error_description=DESC-unique-88&state=${f.state}`, f.pending);
  } catch {}
  c.free();
  // Constructors refused after their key was read: at the redirect URI, an endpoint, the preset, the key itself.
  const FAILKEY = "FAILKEY-unique-0123456789-abcdefgh";
  let accepted = 0;
  for (const o of [{ redirectUri: "http://x/cb" }, { provider: "custom", endpoints: { authorize: "https://a/a", token: "no" } }, { preset: { issuer: "no" } }, { stateKey: [FAILKEY, "short"] }, { clientSecret: "SECRET-unique-0123456789" }]) {
    try {
      new glue.OAuthClient({ provider: "billit", clientId: "c", redirectUri, stateKey: FAILKEY, ...o }).free();
      accepted++;
    } catch {
      errors++;
    }
  }
  const mem = Buffer.from(ex.memory.buffer);
  const inHeap = (t) => mem.indexOf(Buffer.from(t), low) >= 0;
  return { errors, accepted, grewAfter1000: sizes[1] - sizes[0], code: r.code, left: { code: inHeap(CODE), key: inHeap(KEYU), pending: inHeap(String(f.pending).slice(0, 40)), state: inHeap(f.state), providerError: inHeap("ERR-unique-77"), providerDesc: inHeap("DESC-unique-88"), failedKey: inHeap(FAILKEY), failedSecret: inHeap("SECRET-unique-0123456789") } };
}

/** The page's raw `n` (client_new) fed options records options.js never writes: each record cut at every length,
 * each byte replaced, counts too large for u64 or usize; then `p`, `f`, and the error answer's slots as they are. */
export async function raw(pkg, recordsFrom) {
  const { readFileSync, readdirSync } = await import("node:fs");
  const snippets = (p) => p + "snippets/" + readdirSync(new URL("snippets/", p)).find((d) => d.startsWith("partner-oauth-")) + "/src/wasm/options.js";
  const { clientOptions } = await import(snippets(recordsFrom ?? pkg));
  const { PAGE_CODES } = await import(pkg + "error-codes.js");
  // The error answer in the layout this review pinned (raw-error.mjs: the message filled as raw.js fills it).
  const legacy = await (await import("./raw-error.mjs")).legacyReader(pkg);
  const mod = new WebAssembly.Module(readFileSync(new URL("page/partner_oauth_bg.wasm", pkg)));
  // 26a816b's exports have raw.rs' names; d381538's one letter each.
  const LONG = { a: "alloc", d: "dealloc", s: "slots", n: "client_new", f: "client_free", p: "client_name" };
  const named = (x) => new Proxy(x, { get: (t, k) => t[k] ?? t[LONG[k]] });
  let w = named(new WebAssembly.Instance(mod, {}).exports);
  const dec = new TextDecoder();
  const te = new TextEncoder();
  let traps = 0;
  const read = (failed) => {
    let slots = new Float64Array(w.memory.buffer, w.s(), 12).slice();
    let part = new Uint8Array(w.memory.buffer).slice(slots[0], slots[0] + slots[1]);
    w.d(slots[2], slots[3]);
    if (!failed) return ["OK", slots[1], slots[3]];
    [slots, part] = legacy(slots, part);
    let p = 0;
    const t = (i) => (slots[i] < 0 ? slots[i] : dec.decode(part.subarray(p, (p += slots[i]))));
    return ["ERR", PAGE_CODES[slots[4]], t(5), t(6), t(7), p === part.length];
  };
  const newClient = (bytes, length = bytes.length) => {
    const at = w.a(bytes.length) >>> 0;
    new Uint8Array(w.memory.buffer).set(bytes, at);
    try {
      const failed = w.n(at, bytes.length, length, 0);
      const slots = new Float64Array(w.memory.buffer, w.s(), 10).slice();
      if (failed) return read(true);
      const handle = slots[4];
      const head = [slots[0], slots[1], slots[2], slots[3]];
      const names = [w.p(handle, 0), read(false)];
      w.f(handle);
      return ["OK", head, names[1][1]];
    } catch (e) {
      traps++;
      w = named(new WebAssembly.Instance(mod, {}).exports);
      return ["TRAP", String(e)];
    }
  };
  const redirectUri = "https://app.example/cb";
  const bases = [
    { provider: "custom", clientId: "c", redirectUri, stateKey: ["k".repeat(32), "j".repeat(33)], endpoints: { authorize: "https://a.example/a", token: "https://a.example/t", api: "https://a.example/" }, preset: { pkce: "required", codeParams: ["x", "y"], authorizeParams: { p: "v", q: "w" }, grants: ["refresh_token"], scopeSeparator: ",", issuer: "https://a.example" } },
    { provider: "factorial", clientId: "cid", redirectUri, stateKey: "k".repeat(40), environment: "demo" },
    { provider: "billit", clientId: "c", redirectUri },
  ];
  const out = { records: [], answers: [] };
  for (const o of bases) {
    const rec = te.encode(clientOptions(o));
    out.records.push(dec.decode(rec));
    const a = [newClient(rec)];
    for (let n = 0; n < rec.length; n++) a.push(newClient(rec, n));
    for (let i = 0; i < rec.length; i++) {
      for (const b of [0x7e, 0x39, 0x3a, 0x30, 0x61]) {
        const r = rec.slice();
        r[i] = b;
        a.push(newClient(r));
      }
    }
    const text = dec.decode(rec);
    // Every count or length replaced by a number past u32, u64 or the record.
    for (const m of text.matchAll(/(\d+):/g)) {
      for (const big of ["4294967296", "18446744073709551615", "18446744073709551616", "99999999999999999999999", String(rec.length), "0", "00", "01"]) {
        a.push(newClient(te.encode(text.slice(0, m.index) + big + text.slice(m.index + m[1].length))));
      }
    }
    out.answers.push(a);
  }
  out.traps = traps;
  // The error answer at the raw level: start/callback on a freed handle, a callback with provider errors.
  return out;
}

/** Each section as [answers, answers that were not errors, sha256 of its JSON (16 hex)]; numbers as they are. */
export async function summary(out) {
  const { createHash } = await import("node:crypto");
  const count = (a) => {
    let n = 0;
    let ok = 0;
    const walk = (x) => {
      if (Array.isArray(x)) return x.forEach(walk);
      if (x && typeof x === "object" && ("ok" in x || "err" in x)) {
        n++;
        if ("ok" in x) ok++;
      }
    };
    walk(a);
    return [n, ok];
  };
  const r = {};
  for (const [k, v] of Object.entries(out)) r[k] = typeof v === "number" ? v : [...count(v), createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 16)];
  return r;
}

/** raw()'s answers without the success answer's head (26a816b left an empty Vec's dangling address there, 1, and
 * d381538 zeros), counted by outcome and hashed; the heads seen. */
export async function rawSummary(out) {
  const { createHash } = await import("node:crypto");
  const heads = new Set();
  const answers = out.answers.map((a) => a.map((x) => (x[0] === "OK" ? (heads.add(JSON.stringify(x[1])), ["OK", x[2]]) : x)));
  const outcomes = {};
  for (const x of answers.flat()) outcomes[x[0] + " " + (x[0] === "ERR" ? x[1] : "")] = (outcomes[x[0] + " " + (x[0] === "ERR" ? x[1] : "")] ?? 0) + 1;
  return { traps: out.traps, outcomes, heads: [...heads], hash: createHash("sha256").update(JSON.stringify([out.records, answers])).digest("hex").slice(0, 16) };
}
