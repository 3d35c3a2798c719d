// Review 119's child scripts (tests/pkg/review119.test.mjs runs them; each is a function of the package directory
// `pkg` and an entry, node.js or page-node.js, run in a child Node process, answering a JSON-able value). The clock
// and crypto.getRandomValues are fixed inside each, before the package is imported. The reviewer ran them on
// 1d75511's package and on 24f9ad4's and compared the whole outputs; the test pins hashes of 1d75511's.
import { createHash } from "node:crypto";
import { seededRandom, ser } from "./review118-scripts.mjs";

const NOW = 1765000000000;

const startAnswer = (f) => ({ url: f.url, state: f.state, pending: String(f.pending), flowId: f.flowId, flowExpiresAt: f.flowExpiresAt });
const cbAnswer = (r) => [r.code, r.state, r.payload, r.payloadVerified, r.iss, r.flowId, r.flowExpiresAt];

export const SCHEMES = ["https://", "http://", "HTTPS://", "HtTpS://", "hTTP://", "httpS://", "https:/", "https:", "https:///", "http:///", "httpss://",
  "htt://", "hxxps://", "https//", " https://", "https:\\\\", "ws://", "javascript://", "https:://", "http:s//", "http\u0000://", "https:/ /", "httpx://",
  "https:/\\", "HTTPS:/", "https", "http", "", "://", "https://https://", "https:x//", "httpsx//", "https:/x/", "http::/", "http:/:/", "ftp://", "HTTP:",
  "h\u0442tps://", "https\u200b://", "https%3A//"];

export const HOSTS = ["app.example", "localhost", "LOCALHOST", "LocalHost", "127.0.0.1", "127.1", "0x7f.0.0.1", "0177.0.0.1", "127.0.0.01", "127.000.0.1",
  "[::1]", "[0:0:0:0:0:0:0:1]", "[::0:1]", "[0::1]", "[::ffff:127.0.0.1]", "[::127.0.0.1]", "[1::]", "[::]", "[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:7:8:9]",
  "[1:2:3:4:5:6:7::]", "[::2:3:4:5:6:7:8]", "[1:2:3:4:5:6:1.2.3.4]", "[1:2:3:4:5:6:7:1.2.3.4]", "[1::1.2.3.4]", "[1.2.3.4]", "[::1.2.3.4:1]", "[:1]",
  "[1:]", "[1:::2]", "[1::2::3]", "[12345::]", "[0000:0000::]", "[00000::]", "[fFfF::]", "[FFFF::ffff]", "[g::]", "[::1%25eth0]", "[::01.2.3.4]",
  "[::1.2.3]", "[]", "[", "]", "[::1", "::1]", "[[::1]]", "[::1]x", "[1:2:3:4:5:6:7]", "[1:2:3:4:5:6::7:8]", "[::1:2:3:4:5:6:7]", "[1:2:3:4::5:6:7:8]",
  "[1:2:3:4:5:1.2.3.4]", "[::ffff:1.2.3.4.5]", "[::256.1.1.1]", "[::1.2.3.04]", "[:::]", "[::::]", "[1:2]", "[::1:]", "[:1::]", "[0x1::]",
  "[fe80::1]", "[FE80::1]", "[2001:db8::1.2.3.4]", "[1:2:3:4:5:6:7:8:]", "[:1:2:3:4:5:6:7:8]",
  "xn--abc.example", "XN--abc.example", "Xn--abc.example", "xN--abc.example", "a.xn--b", "a.Xn--b", "a.xN--b", "a.XN--", "axn--b.example", "xn-a.example",
  "x.n--", "xn--", "xn-", "xn", "a.xn-", "a.-xn--", "a._xn--", "xm--a", "yn--a", "xo--a", "x\u006e--a", "xn\u002d-a", "xn\u2010-a", "XN\u2014a",
  "1.2.3.4", "1.2.3.256", "1.2.3", "1.2.3.4.5", "a.1", "a.0x", "a.0x1g", "a.0X1f", "a.0xG", "a.1a", "a.f", "a.0xf", "a.09", "256.0.0.1", "01.2.3.4",
  "0.0.0.0", "10.0.0.1", "255.255.255.255", "1.2.3.4.", "a_b.example", "a..b", ".", "-", "example.com.", "user:pass@app.example", "@app.example",
  "a@b@app.example", "app.example@evil.example", "évil.example", "app.example%2F", "app.example\\evil", "a b", "0x", "0X10", "a.0", "a.00", "a.08",
  "app.example.1", "1e1.example", "9.example"];

export const PORTS = ["", ":", ":0", ":80", ":443", ":8080", ":65535", ":65536", ":99999", ":00080", ":0000000080", ":-1", ":+80", ":8a", ":1e3",
  ":080", ":0x50", ": 80", "::80", ":8080:"];

export const SUFFIXES = ["/cb", "", "/cb?x=1", "/cb#f", "?q", "/a/../cb", "/%2e%2e/cb"];

/** Constructors with hostile redirect URIs and custom endpoints, each accepted one's start URL. */
export async function urls(pkg, entry) {
  seededRandom(11);
  Date.now = () => NOW;
  const m = await import(pkg + entry);
  const uris = [];
  for (const s of SCHEMES) for (const h of ["app.example", "localhost", "[::1]"]) for (const x of ["/cb", ""]) uris.push(s + h + x);
  for (const s of ["https://", "http://"]) for (const h of HOSTS) for (const p of PORTS) for (const x of SUFFIXES) uris.push(s + h + p + x);
  const out = [];
  let accepted = 0;
  for (const uri of uris) {
    const a = ser(() => {
      const c = new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri: uri });
      const u = c.startAuthorization({}).url;
      c.free();
      return u;
    });
    accepted += a.ok ? 1 : 0;
    out.push(a);
  }
  const endpoints = [];
  for (const s of ["https://", "http://", "HTTPS://", "https:/"]) {
    for (const h of HOSTS) {
      for (const p of ["", ":8443", ":65536", ":0"]) {
        const authorize = s + h + p + "/authorize?x=1";
        endpoints.push(ser(() => {
          const c = new m.OAuthClient({ provider: "custom", clientId: "c", redirectUri: "https://app.example/cb", endpoints: { authorize, token: s + h + p + "/token" } });
          const u = c.startAuthorization({}).url;
          c.free();
          return u;
        }));
      }
    }
  }
  return { count: uris.length, accepted, out, endpoints };
}

export const KEYS = { one: "k".repeat(32), two: ["k".repeat(32), "j".repeat(40)], long: "L".repeat(65), huge: "H".repeat(200), block: "B".repeat(64) };

/** Clients of every provider and environment, keyless and keyed, started with many options; every start's answer,
 * its callback's answer, and tampered states and pending values (base64url edges: each symbol changed, the last
 * symbol's every value, cuts, `=`, `+`, `/`, `.`, appended symbols). */
export async function flows(pkg, entry, lite = false) {
  seededRandom(7);
  Date.now = () => NOW;
  const m = await import(pkg + entry);
  const redirectUri = "https://app.example/cb";
  const clients = [];
  const envs = { payfit: [undefined, "production"], payout: [undefined, "sandbox", "production-id", "sandbox-id"], factorial: [undefined, "demo"],
    tropipay: [undefined, "sandbox"], billit: [undefined, "sandbox"] };
  const ctor = [];
  for (const [provider, list] of Object.entries(envs)) {
    for (const environment of list) {
      for (const [k, stateKey] of Object.entries({ none: undefined, ...KEYS })) {
        if (lite && (environment || !["none", "two", "huge"].includes(k))) continue;
        const options = { provider, clientId: "client id/é", redirectUri, ...(environment ? { environment } : {}), ...(stateKey ? { stateKey } : {}) };
        const r = ser(() => new m.OAuthClient(options));
        ctor.push([provider, environment ?? null, k, r.ok ? "ok" : r]);
        if (r.ok) clients.push([`${provider}/${environment}/${k}`, r.ok]);
      }
    }
  }
  // Preset overrides and the custom provider.
  const custom = { provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: "https://auth.example/a?x=1&y=%20", token: "https://auth.example/t" } };
  for (const [name, preset] of Object.entries({
    none: undefined, noResponseType: { responseType: false }, unsupported: { pkce: "unsupported" }, required: { pkce: "required" },
    sep: { scopeSeparator: "," }, sepSpace: { scopeSeparator: " " }, sepOdd: { scopeSeparator: "+&" },
    params: { authorizeParams: { a: "b c", "x&y": "1=2", "é": "%", empty: "", "~*'()": "!$" } },
  })) {
    for (const [k, stateKey] of Object.entries({ none: undefined, one: KEYS.one })) {
      const r = ser(() => new m.OAuthClient({ ...custom, ...(preset ? { preset } : {}), ...(stateKey ? { stateKey } : {}) }));
      ctor.push(["custom", name, k, r.ok ? "ok" : r]);
      if (r.ok) clients.push([`custom/${name}/${k}`, r.ok]);
    }
  }
  // Environment and provider names that are not quite a known one.
  for (const provider of ["Billit", "billit ", " billit", "billit\u0000", "bill", "billitt", "__proto__", "constructor", "toString", "sixth", "", "custom",
    "rfc6749", "production", "PAYFIT", "payfit\n", "payﬁt"]) {
    ctor.push([provider, null, "none", ser(() => new m.OAuthClient({ provider, clientId: "c", redirectUri }).provider)]);
  }
  for (const environment of ["production", "Production", "sandbox", "sandbox ", "", "demo", "__proto__", "production-id", "production-", "sandbox-id\u0000",
    "prod", "toString", "constructor", "0", "1", "-1"]) {
    for (const provider of ["billit", "payout", "factorial", "payfit"]) {
      ctor.push([provider, environment, "none", ser(() => {
        const c = new m.OAuthClient({ provider, clientId: "c", redirectUri, environment });
        return [c.environment, c.startAuthorization({}).url];
      })]);
    }
  }
  const startOptions = [{}, { scopes: [] }, { scopes: ["read"] }, { scopes: ["read", "write"] }, { scopes: ["a:b", "c/d", "e.f"] },
    { scopes: ["!#$&'()*+,/:;=?@[]~"] }, { scopes: ["é"] }, { scopes: ["a b"] }, { scopes: [""] }, { scopes: ["%41"] }, { payload: "" },
    { payload: "p" }, { payload: "é€😀\u0000" }, { payload: "x".repeat(2048) }, { payload: "x".repeat(2049) }, { payload: "\ud800" },
    { params: { a: "b" } }, { params: { "a b": "c&d=e", "é": "\u0000" } }, { params: { state: "x" } }, { params: { response_type: "x" } },
    { params: { code_challenge: "x" } }, { params: { prompt: "consent", "": "" } }, { tokenKind: "company" }, { tokenKind: "user" },
    { tokenKind: "nope" }, { scopes: ["read"], payload: "pay", params: { z: "1" } }];
  const starts = [];
  const cbs = [];
  const tamper = [];
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const hex = (b) => "%" + b.toString(16).padStart(2, "0");
  for (const [name, c] of clients) {
    if (lite && name.startsWith("custom/") && !name.endsWith("/none")) continue;
    for (const o of startOptions) {
      const r = ser(() => startAnswer(c.startAuthorization(o)));
      starts.push([name, r]);
      if (!r.ok) continue;
      const { state, pending } = r.ok;
      cbs.push(ser(() => cbAnswer(c.parseCallback(`${redirectUri}?code=C&state=${state}`, pending))));
    }
    // Tampering: one flow with a payload per client.
    const f = ser(() => startAnswer(c.startAuthorization({ payload: "pay" })));
    if (!f.ok) continue;
    const { state: st, pending: p } = f.ok;
    const t = [];
    const both = (state, pend) => t.push(ser(() => cbAnswer(c.parseCallback(`${redirectUri}?code=C&state=${state}`, pend)).slice(0, 4)));
    const variants = (text) => {
      const v = [];
      for (let i = 0; i < text.length; i++) {
        const k = B64.indexOf(text[i]);
        v.push(text.slice(0, i) + (k < 0 ? "A" : B64[(k + 1) % 64]) + text.slice(i + 1));
        v.push(text.slice(0, i) + (k < 0 ? "A" : B64[k ^ 1]) + text.slice(i + 1));
      }
      // The last symbol of each base64url part (before and after the `.`), every value: the trailing bits.
      for (const end of [text.indexOf(".") - 1, text.length - 1, text.lastIndexOf(".") - 1]) {
        if (end < 0) continue;
        for (const s of B64 + "+/=.") v.push(text.slice(0, end) + s + text.slice(end + 1));
      }
      for (let n = 0; n <= text.length + 1; n++) v.push(text.slice(0, n));
      for (const s of ["A", "AA", "AAA", "AAAA", "=", "==", "+", "/", ".", ".A", "A.", "%3D", "\u00e9"]) {
        v.push(text + s, s + text);
        const dot = text.indexOf(".");
        if (dot >= 0) v.push(text.slice(0, dot) + s + text.slice(dot));
      }
      for (const [a, b] of [["-", "+"], ["_", "/"], [".", "=="], [".", "="]]) v.push(text.replaceAll(a, b));
      return v;
    };
    for (const s of variants(st)) both(s, p);
    for (const s of variants(p)) both(st, s);
    // A state percent-encoded byte by byte (the callback decodes it first).
    both([...st].map((ch) => hex(ch.charCodeAt(0))).join(""), p);
    tamper.push([name, t]);
  }
  return { ctor, starts, cbs, tamper };
}

/** Flows started in one package finished in another: `a` and `b` are [pkg, entry]. Same seeded random in both. */
export async function cross(a, b) {
  seededRandom(3);
  Date.now = () => NOW;
  const ma = await import(a[0] + a[1]);
  const mb = await import(b[0] + b[1]);
  const redirectUri = "https://app.example/cb";
  const out = [];
  for (const stateKey of [undefined, KEYS.one, KEYS.two, KEYS.long, KEYS.huge, KEYS.block]) {
    for (const provider of ["billit", "factorial", "custom"]) {
      const options = { provider, clientId: "c", redirectUri, ...(stateKey ? { stateKey } : {}),
        ...(provider === "custom" ? { endpoints: { authorize: "https://a.example/a", token: "https://a.example/t" }, preset: { pkce: "unsupported" } } : {}) };
      const ca = new ma.OAuthClient(options);
      const cb = new mb.OAuthClient(options);
      for (const o of [{}, { payload: "pay é" }, { payload: "" }, { scopes: ["x"] }, ...(provider === "factorial" ? [{ tokenKind: "user" }] : [])]) {
        for (const [from, to] of [[ca, cb], [cb, ca]]) {
          const f = from.startAuthorization(o);
          out.push(ser(() => cbAnswer(to.parseCallback(`${redirectUri}?code=C&state=${f.state}`, f.pending))));
          // And the other client's own flow with this state: another flow's state is refused.
          const g = to.startAuthorization(o);
          out.push(ser(() => to.parseCallback(`${redirectUri}?code=C&state=${f.state}`, g.pending).code));
        }
      }
    }
  }
  return out;
}

/** sha256 of each part's JSON (the whole outputs were compared; these pin them). */
export function hashes(value) {
  const h = (v) => createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 20);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "number" ? v : h(v)]));
}

/** The creation time's 8 bytes: starts at clocks from 0 to past 2^53 (and NaN, negative), then callbacks at the same
 * and later times (the age check). */
export async function clocks(pkg, entry) {
  seededRandom(5);
  let now = NOW;
  Date.now = () => now;
  const m = await import(pkg + entry);
  const redirectUri = "https://app.example/cb";
  const out = [];
  const times = [0, 1, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 1e12, NOW, 2 ** 40 + 3, 2 ** 48 - 1,
    2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 56 + 4096, 2 ** 63, 2 ** 64, 1e20, -1, -0, 0.5, 1765000000000.75, NaN, Infinity, -Infinity];
  for (const stateKey of [undefined, KEYS.one]) {
    const c = new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri, ...(stateKey ? { stateKey } : {}) });
    for (const t of times) {
      now = t;
      const f = ser(() => startAnswer(c.startAuthorization({ payload: "p" })));
      out.push(f);
      if (!f.ok) continue;
      for (const later of [t, t + 1000, t + 600000, t + 3600000, t - 1000, NOW]) {
        now = later;
        out.push(ser(() => cbAnswer(c.parseCallback(`${redirectUri}?code=C&state=${f.ok.state}`, f.ok.pending))));
      }
    }
  }
  return out;
}

export const INTEROP_CLIENTS = [
  { provider: "billit", clientId: "c", redirectUri: "https://app.example/cb" },
  { provider: "billit", clientId: "c", redirectUri: "https://app.example/cb", stateKey: KEYS.two },
  { provider: "factorial", clientId: "c", redirectUri: "https://app.example/cb", stateKey: KEYS.huge },
  { provider: "payout", clientId: "c", redirectUri: "http://[::1]:8080/cb", stateKey: KEYS.block },
  { provider: "custom", clientId: "c", redirectUri: "http://127.0.0.1/cb", endpoints: { authorize: "https://a.example/a?x=%20", token: "https://a.example/t" },
    preset: { pkce: "unsupported", authorizeParams: { "a b": "c&d" } } },
];
export const INTEROP_STARTS = [{}, { payload: "pay é😀" }, { scopes: ["read", "write"], payload: "" }, { params: { x: "1 2" } }];

/** Flows started with seed 9 at NOW (each client, each start): their answers. */
export async function started(pkg, entry) {
  seededRandom(9);
  Date.now = () => NOW;
  const m = await import(pkg + entry);
  return INTEROP_CLIENTS.map((o) => {
    const c = new m.OAuthClient(o);
    return INTEROP_STARTS.map((s) => (o.provider === "factorial" ? { ...s, tokenKind: "user" } : s)).map((s) => startAnswer(c.startAuthorization(s)));
  });
}

/** `flows` (from `started`, perhaps another package's) finished here, each client's own and the next client's. */
export async function finish(pkg, entry, flows) {
  Date.now = () => NOW + 1000;
  const m = await import(pkg + entry);
  return INTEROP_CLIENTS.map((o, i) => {
    const c = new m.OAuthClient(o);
    const own = flows[i].map((f) => ser(() => cbAnswer(c.parseCallback(`${o.redirectUri}?code=C&state=${f.state}`, f.pending))));
    const next = flows[(i + 1) % flows.length];
    const other = next.map((f) => ser(() => cbAnswer(c.parseCallback(`${o.redirectUri}?code=C&state=${f.state}`, f.pending))).err ?? "accepted");
    return { own, other };
  });
}

/** The page wasm's UTF-8 check (text::is_utf8, whose yes makes a `str` unchecked in raw.rs), through the raw
 * pkce_challenge export: a text is refused as "not a string" exactly when TextDecoder's fatal decoder refuses it.
 * Every 1- and 2-byte sequence (alone, and inside text when the first byte is not ASCII); 3-byte ones with every lead
 * from 0xE0, every second byte and seven third bytes; 4-byte ones with every lead from 0xF0, every second byte, seven
 * third and two fourth bytes. (Natively, the reviewer compared the validator's source with std over all 2^32 4-byte
 * sequences.) */
export async function rawUtf8(pkg) {
  const { readFileSync } = await import("node:fs");
  const mod = new WebAssembly.Module(readFileSync(new URL("page/partner_oauth_bg.wasm", pkg)));
  const w = new WebAssembly.Instance(mod, {}).exports;
  const fatal = new TextDecoder("utf-8", { fatal: true });
  // The error answer in the layout this review pinned (raw-error.mjs: the message filled as raw.js fills it).
  const legacy = await (await import("./raw-error.mjs")).legacyReader(pkg);
  let mem = new Uint8Array(0);
  const view = () => (mem.byteLength ? mem : (mem = new Uint8Array(w.memory.buffer)));
  function check(bytes) {
    const at = w.a(bytes.length) >>> 0;
    view().set(bytes, at);
    const failed = w.h(at, bytes.length, bytes.length);
    const slots = new Float64Array(w.memory.buffer, w.s(), 12).slice();
    // The message as users see it (raw-error.mjs fills it as raw.js does).
    const [old, text] = failed ? legacy(slots, view().slice(slots[0], slots[0] + slots[1])) : [];
    const answer = failed ? Buffer.from(text.subarray(0, old[5])).toString() : "ok";
    w.d(slots[2], slots[3]);
    return answer;
  }
  const notString = check(new Uint8Array([0xff]));
  let count = 0, refused = 0;
  const wrong = [];
  const one = (...bytes) => {
    const texts = [Uint8Array.from(bytes)];
    if (bytes.length < 3 && bytes[0] >= 0x80) texts.push(Uint8Array.from([0x61, ...bytes, 0x62]));
    for (const b of texts) {
      count++;
      let valid = true;
      try {
        fatal.decode(b);
      } catch {
        valid = false;
      }
      const said = check(b) === notString;
      refused += said ? 1 : 0;
      if (said === valid && wrong.length < 10) wrong.push([...b].map((x) => x.toString(16)).join(" "));
    }
  };
  const EDGE = [0x41, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0];
  for (let a = 0; a < 256; a++) {
    one(a);
    for (let b = 0; b < 256; b++) {
      one(a, b);
      if (a < 0xe0) continue;
      for (const c of EDGE) {
        one(a, b, c);
        if (a >= 0xf0) for (const d of [0x80, 0xc0]) one(a, b, c, d);
      }
    }
  }
  one(0xef, 0xbf, 0xbd);
  one(0xf4, 0x8f, 0xbf, 0xbf);
  return { notString, count, refused, wrong };
}

export const FEW_URIS = ["http://[::ffff:127.0.0.1]/cb", "http://[::127.0.0.1]/cb", "http://[0:0:0:0:0:0:0:1]/cb", "http://[::1.2.3.4]/cb",
  "https://[1:2:3:4:5:6:7::]/cb", "https://[::2:3:4:5:6:7:8]/cb", "https://[1:2:3:4:5:6:7:8::]/cb", "https://[::1:2:3:4:5:6:7:8]/cb",
  "https://[1::2::3]/cb", "https://[1:2:3:4:5:6:1.2.3.4]/cb", "https://[1:2:3:4:5:6:7:1.2.3.4]/cb", "https://[1:2:3:4:5::1.2.3.4]/cb",
  "https://[1.2.3.4]/cb", "https://[::1.2.3.4:5]/cb", "https://[::01.2.3.4]/cb", "https://[00000::]/cb", "https://[::]/cb", "http://[::]/cb",
  "https://[::1]:65535/cb", "https://[::1]:65536/cb", "https://a:00080/cb", "https://a:0/cb", "https://a:/cb", "HTTPS://app.example/cb",
  "hTtP://localhost/cb", "https:/app.example/cb", "https:///app.example/cb", "httpss://app.example/cb", "https//app.example/cb", "http://localhost/cb",
  "http://127.1/cb", "http://0x7f.0.0.1/cb", "http://127.0.0.1:8080/cb", "https://xn--abc.example/cb", "https://a.XN--b/cb", "https://a.xN--/cb",
  "https://a.0xf/cb", "https://a.0xg/cb", "https://a.0x/cb", "https://1.2.3.256/cb", "https://01.2.3.4/cb", "http://user@localhost/cb",
  "http://[::ffff:7f00:1]/cb", "http://[::1%25eth0]/cb"];

/** FEW_URIS as redirect URIs: the redirect_uri a start sends, or the constructor's error. */
export async function fewUris(pkg, entry) {
  seededRandom(1);
  const m = await import(pkg + entry);
  return Object.fromEntries(FEW_URIS.map((uri) => {
    const r = ser(() => new URL(new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri: uri }).startAuthorization({}).url).searchParams.get("redirect_uri"));
    return [uri, r.ok ?? `${r.err}: ${r.msg}`];
  }));
}

/** `urls` for one entry, summarized (a fresh process per entry: the glue's random pool carries over). */
export async function urlsSummary(pkg, entry) {
  const u = await urls(pkg, entry);
  const h = hashes({ urls: u.out, endpoints: u.endpoints });
  return { ...h, uris: u.count, accepted: u.accepted, endpointsAccepted: u.endpoints.filter((x) => x.ok).length };
}

/** `flows` (lite) then `clocks` for one entry, summarized (a fresh process per entry). */
export async function flowsSummary(pkg, entry) {
  const f = await flows(pkg, entry, true);
  const c = await clocks(pkg, entry);
  return { ...hashes({ ctor: f.ctor, starts: f.starts, cbs: f.cbs, tamper: f.tamper, clocks: c }),
    tampered: f.tamper.reduce((a, x) => a + x[1].length, 0), tamperedAccepted: f.tamper.reduce((a, x) => a + x[1].filter((y) => y.ok).length, 0),
    startsOk: f.starts.filter((x) => x[1].ok).length, startCount: f.starts.length };
}
