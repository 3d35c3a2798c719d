// Review 141's scripts (tests/pkg/review141.test.mjs): an55 (answers written in the slots in place), er55 (FlowExpired's
// age as a number part) and fo55 (scripts/order-functions.mjs). The package scripts run in a child Node process on a
// package URL `pkg` with the random bytes (xorshift) and the clock fixed; run by hand against 45138d1's packages
// (/tmp/oracle30/pkg) they are the old/new differential oracle. Errors are recorded whole (review 139's `full`).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeze, hash } from "./frozen.mjs";
import { full } from "./review139-scripts.mjs";

const redirectUri = "https://app.example/cb";
const endpoints = { authorize: "https://as.example/a", token: "https://as.example/t" };
const T0 = 1765000000000;

/** Every stateMaxAge from `from` to `to`: a start, then its callback (a code, and a provider error) `age` s later, at
 * the last millisecond before it expires (`age` + 1 s: state::expires_at), its first expired one and 999 ms past;
 * every answer whole, hashed in order. */
export async function ages(pkg, file = "page-node.js", from = 1, to = 86400, seed = 1411) {
  freeze(seed);
  const m = await import(pkg + file);
  const out = [];
  const tally = {};
  for (let age = from; age <= to; age++) {
    Date.now = () => T0;
    const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateMaxAge: age });
    const f = c.startAuthorization({});
    const st = encodeURIComponent(f.state);
    const row = [age];
    for (const dt of [age * 1000, age * 1000 + 999, age * 1000 + 1000, age * 1000 + 1999]) {
      Date.now = () => T0 + dt;
      for (const q of [`code=C&state=${st}`, `error=E&error_description=D&state=${st}`]) {
        const a = full(() => c.parseCallback(`${redirectUri}?${q}`, f.pending));
        row.push(a);
        const k = Array.isArray(a) ? a[1] : "ok";
        tally[k] = (tally[k] ?? 0) + 1;
      }
    }
    c.free();
    out.push(row);
  }
  return { n: out.length, sha: hash(out), tally, sample: [out[0], out.at(-1)] };
}

/** Sequences on one client mixing a start, successful callbacks, FlowExpired (a number part), provider errors,
 * refusals after a partial write and other starts: every answer whole, so a number left in a slot by an earlier
 * call would show in a later answer. */
export async function sequences(pkg, file = "page-node.js", seed = 1412) {
  freeze(seed);
  const m = await import(pkg + file);
  const out = [];
  const c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateMaxAge: 7 });
  const k = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints, stateKey: "k".repeat(40), stateMaxAge: 86400 });
  const flows = [c, k].map((x) => [x, x.startAuthorization({ payload: "p".repeat(20), scopes: ["a", "b"] })]);
  const steps = [];
  for (const [x, f] of flows) {
    const st = encodeURIComponent(f.state);
    steps.push(
      ["start", () => x.startAuthorization({ payload: "q" })],
      ["ok", () => x.parseCallback(`${redirectUri}?code=C&state=${st}&iss=https://as.example`, f.pending)],
      ["expired", () => ((Date.now = () => T0 + 86_400_001), x.parseCallback(`${redirectUri}?code=C&state=${st}`, f.pending))],
      ["provider", () => x.parseCallback(`${redirectUri}?error=E&error_description=${"d".repeat(40)}&state=${st}`, f.pending)],
      ["expiredProvider", () => ((Date.now = () => T0 + 86_400_001), x.parseCallback(`${redirectUri}?error=E&error_description=D&state=${st}`, f.pending))],
      ["badState", () => x.parseCallback(`${redirectUri}?code=C&state=${st}x`, f.pending)],
      ["badPending", () => x.parseCallback(`${redirectUri}?code=C&state=${st}`, f.pending + "x")],
      ["noState", () => x.parseCallback(`${redirectUri}?code=C`, f.pending)],
      ["badStart", () => x.startAuthorization({ scopes: 5 })],
      ["verifier", () => m.newPkceVerifier()],
      ["challenge", () => m.pkceChallenge("v".repeat(43))],
      ["badChallenge", () => m.pkceChallenge(5)],
      ["getters", () => [x.provider, x.clientId, x.redirectUri]],
    );
  }
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < steps.length; i++) {
      for (const j of [i, (i * 7 + round) % steps.length]) {
        Date.now = () => T0;
        out.push([round, steps[j][0], full(steps[j][1])]);
      }
    }
  }
  return { n: out.length, sha: hash(out), sample: out.slice(0, 3) };
}

// fo55: modules a toolchain could emit that scripts/order-functions.mjs reads wrong without refusing. Each is written,
// reordered by the script (a child Node, as the build runs it) and its behaviour compared before and after.
const uleb = (v) => { const o = []; do { o.push((v & 127) | (v > 127 ? 128 : 0)); v = Math.floor(v / 128); } while (v); return o; };
const sec = (id, body) => [id, ...uleb(body.length), ...body];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const str = (s) => [...uleb(s.length), ...Buffer.from(s)];
const runs = (seed) => {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 0x3f;
  return [0, 1].map(() => Array.from({ length: 60 }, rnd));
};
/** Sixteen functions () -> i32 (function i returns i after a run of `i32.const; drop` shared by every other
 * one, so the link order does not gzip smallest), exported as f0..f15; and a funcref global, exported as `g`,
 * initialised by `ref.func 1` (reference types, which Node 20 validates). */
export function globalRefModule() {
  const n = 16, [a, b] = runs(7);
  const types = sec(1, vec([[0x60, 0, 1, 0x7f]]));
  const funcs = sec(3, vec(Array.from({ length: n }, () => [0])));
  const globals = sec(6, vec([[0x70, 0, 0xd2, 1, 0x0b]]));
  const exports = sec(7, vec([[...str("g"), 3, 0], ...Array.from({ length: n }, (_, i) => [...str(`f${i}`), 0, i])]));
  const bodies = Array.from({ length: n }, (_, i) => {
    const code = [0, ...(i % 2 ? b : a).flatMap((c) => [0x41, c, 0x1a]), 0x41, i, 0x0b];
    return [...uleb(code.length), ...code];
  });
  return Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...funcs, ...globals, ...exports, ...sec(10, vec(bodies))]);
}
/** Four functions () -> i32, each with a local of a typed reference, `(ref null 16)` (bytes 0x63 0x10: the reader
 * skips one byte of the type and reads 0x10 as a `call`), then `nop`, a shared run, and `i32.const i` (GC, which
 * Node 20 refuses and Node 22 validates). */
export function typedLocalModule() {
  const n = 4, [a, b] = runs(1);
  const types = sec(1, vec([[0x60, 0, 1, 0x7f], ...Array.from({ length: 15 }, () => [0x60, 0, 0]), [0x5f, 0]]));
  const funcs = sec(3, vec(Array.from({ length: n }, () => [0])));
  const exports = sec(7, vec(Array.from({ length: n }, (_, i) => [...str(`f${i}`), 0, i])));
  const bodies = Array.from({ length: n }, (_, i) => {
    const code = [1, 1, 0x63, 0x10, 0x01, ...(i % 2 ? b : a).flatMap((c) => [0x41, c, 0x1a]), 0x41, i, 0x0b];
    return [...uleb(code.length), ...code];
  });
  return Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...funcs, ...exports, ...sec(10, vec(bodies))]);
}

const script = new URL("../../scripts/order-functions.mjs", import.meta.url).pathname;
const binaryen = new URL("../../scripts/node_modules/.bin/wasm-opt", import.meta.url).pathname;
/** Runs order-functions.mjs on `bytes`; `gc`: with WebAssembly.Module validating by binaryen (--all-features), as a
 * Node that validates GC would. Its exit status, its output, whether it wrote, and the module it leaves. */
export function order(bytes, gc = false) {
  const dir = mkdtempSync(join(tmpdir(), "rv141-"));
  try {
    const path = join(dir, "m.wasm");
    writeFileSync(path, bytes);
    const flags = [];
    if (gc) {
      const pre = join(dir, "gc.mjs");
      writeFileSync(pre, `import { execFileSync, spawnSync } from "node:child_process"; import { writeFileSync } from "node:fs"; let n = 0;
WebAssembly.Module = class { constructor(bytes) { const f = ${JSON.stringify(dir)} + "/v" + n++ + ".wasm"; writeFileSync(f, bytes);
  try { execFileSync(${JSON.stringify(binaryen)}, ["--all-features", f, "-o", "/dev/null"], { stdio: "pipe" }); } catch (e) { throw new WebAssembly.CompileError(String(e.stderr)); } } };`);
      flags.push("--import", pre);
    }
    const { status, stdout, stderr } = spawnSync(process.execPath, [...flags, script, path], { encoding: "utf8" });
    const output = stdout + stderr;
    const after = readFileSync(path);
    return { status, output: output.trim(), written: !after.equals(bytes), after };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
/** What each export answers (the global's function called), or the trap. */
export function behaviour(bytes) {
  const e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  const out = {};
  for (const [name, v] of Object.entries(e)) {
    const f = v instanceof WebAssembly.Global ? v.value : v;
    try { out[name] = f(); } catch (error) { out[name] = `trap: ${error.message}`; }
  }
  return out;
}
/** Whether binaryen validates `bytes` (all features). */
export function validates(bytes) {
  const dir = mkdtempSync(join(tmpdir(), "rv141-"));
  try {
    writeFileSync(join(dir, "m.wasm"), bytes);
    execFileSync(binaryen, ["--all-features", join(dir, "m.wasm"), "-o", "/dev/null"], { stdio: "pipe" });
    return true;
  } catch { return false; } finally { rmSync(dir, { recursive: true, force: true }); }
}

// ur55 (the URL reader reshaped for size): hosts, IPv4 numbers in every radix, IPv6 forms, ports, userinfo and
// percent-encoding, read as redirectUri, as the authorize endpoint and in a callback as a whole URL.
export function urlTexts() {
  const v4 = ["127.0.0.1", "0x7f.1", "0X7F.0.0.1", "0177.0.0.1", "2130706433", "0x7f000001", "017700000001", "127.1", "127.0.1", "1.2.3.4.", "256.0.0.1",
    "0x100.0.0.1", "1.2.3.0x", "0x", "0x.1.1.1", "09.1.1.1", "08", "1.2.3.4.5", "999999999999", "4294967295", "4294967296", "0xffffffff", "0x1ffffffff",
    "00000000000000000000001", "0x00000000000000001", "0x0000000000000000000001", "a.0x1", "a.1", "1.a", "example.123", "example.0x7f", "example.08",
    "%31%32%37.0.0.1", "１２７.0.0.1", "1.2.3.4..", "..1", "0", "00", "0.0.0.0", "255.255.255.255", "255.255.255.256", "1.16777215", "1.16777216",
    "1.1.65535", "1.1.65536", "0xa.0xB.0Xc.0xD", "1e3", "1.2.3.04", "1.2.3.4%2e", "12345.6", "0377.0377.0377.0377", "0400.1.1.1", "1.2.3.٤"];
  const v6 = ["::1", "::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "::ffff:127.0.0.1", "::ffff:7f00:1", "1::2::3", "fe80::1%25eth0", "FE80::1",
    "0:0:0:0:0:0:0:1", "", ":", ":::", "1:", ":1", "12345::", "0001::", "00001::", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3",
    "::1.2.3.4.5", "::01.2.3.4", "::1.2.3.256", "v1.x", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8::", "g::", "::%31", "1:2:3:4::5:6:7:8",
    "::0x1", " ::1", "::1 ", "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:67890", "::1.2.3.4:5"];
  const names = ["example.com", "EXAMPLE.com", "ex%61mple.com", "exa%2emple.com", "a%2Fb", "%00", "%zz", "%", "exa mple", "xn--nxasmq6b", "é.com",
    "a..b", ".a", "a.", "a_b", "a-b", "-a", "localhost", "LOCALHOST.", "a\tb", "a\\b", "a^b", "a|b", "a<b", "%5B::1%5D", "[::1", "::1]", "[::1]]",
    "[[::1]]", "[::1]x", "x[::1]", "[]", "a" .repeat(64) + ".com", "a".repeat(254), "[::1]:", "a:b:c"];
  const hosts = [...v4, ...v6.map((h) => `[${h}]`), ...names];
  const ports = ["", ":", ":0", ":1", ":080", ":443", ":65535", ":65536", ":99999", ":+1", ":-1", ":1a", ":0x10", ": 80", ":８０", ":00000000080", "::80", ":80:80"];
  const users = ["", "u@", "u:p@", "@", "u@@", "%40@", "u:p:q@", "u%3Ap@", ":@", "a@b@"];
  const out = [];
  for (const h of hosts) for (const p of ["", ":443", ":8080"]) out.push(`https://${h}${p}/cb`, `http://${h}${p}/cb`);
  for (const h of ["example.com", "127.0.0.1", "[::1]", "0x7f.1", "[::ffff:1.2.3.4]"]) {
    for (const p of ports) for (const u of users) out.push(`https://${u}${h}${p}/cb`);
    for (const tail of ["", "/", "?", "#", "/cb?x=1", "/cb#f", "/%2e%2e/x", "/a/../b", "\\cb", "?a=%ZZ", "/c%20b"]) out.push(`https://${h}${tail}`, `http://${h}${tail}`);
  }
  for (const s of ["HTTPS", "hTtP", "ftp", "javascript", "https:", "https:/", "https:///", "//"]) out.push(`${s}://example.com/cb`, `${s}//example.com/cb`);
  return out;
}
/** Each URL text: as redirectUri (the client, its getter and a start's URL), as the authorize endpoint (a start's URL),
 * and as a callback whole (code and state on it) to a client whose redirectUri it is. */
export async function urls(pkg, file = "page-node.js", seed = 1413, texts = urlTexts()) {
  freeze(seed);
  const m = await import(pkg + file);
  const out = [];
  const base = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints });
  const f = base.startAuthorization({});
  const st = encodeURIComponent(f.state);
  for (const u of texts) {
    const row = [u];
    let c = null;
    row.push(full(() => {
      c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri: u, endpoints });
      return [c.redirectUri, c.startAuthorization({}).url];
    }));
    row.push(full(() => {
      const e = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints: { ...endpoints, authorize: u } });
      try { return e.startAuthorization({}).url; } finally { e.free(); }
    }));
    row.push(full(() => base.parseCallback(`${u}${u.includes("?") ? "&" : "?"}code=C&state=${st}`, f.pending)));
    if (c) {
      const g = c.startAuthorization({});
      row.push(full(() => c.parseCallback(`${u}${u.includes("?") ? "&" : "?"}code=C&state=${encodeURIComponent(g.state)}`, g.pending)));
      c.free();
    }
    out.push(row);
  }
  return out;
}
export async function urlSummary(pkg, file = "page-node.js") {
  const out = await urls(pkg, file);
  const tally = {};
  for (const r of out) for (const a of r.slice(1)) { const k = Array.isArray(a) && a[0] === "ERR" ? a[1] : "ok"; tally[k] = (tally[k] ?? 0) + 1; }
  return { n: out.length, sha: hash(out), tally };
}
/** `n` random authorities around the URL reader's cuts (digits in every radix, dots, colons, brackets, `@`, `%`,
 * letters that are hex digits or not), each behind http:// or https:// and before a path, a query, a fragment or
 * nothing; answered as `urls` does. Hashed in order with a tally. */
export async function urlRandom(pkg, file = "page-node.js", seed = 1414, n = 6000) {
  let s = seed;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>>= 0));
  const pick = (a) => a[next() % a.length];
  const atoms = ["0", "1", "7", "8", "9", "00", "01", "0x", "0X", "ff", "FF", "a", "e", "g", "z", ".", ".", ":", ":", "::", "[", "]", "@", "%", "%2e", "%31",
    "%5B", "%3A", "255", "256", "65535", "65536", "4294967295", "4294967296", "127", "localhost", "ffff", "-", "_", "é", " ", "\\", "0x7f", "1.2.3.4"];
  const texts = [];
  for (let i = 0; i < n; i++) {
    let a = "";
    const k = 1 + (next() % 9);
    for (let j = 0; j < k; j++) a += pick(atoms);
    if (next() % 3 === 0) a = `[${a}]`;
    if (next() % 3 === 0) a += `:${pick(["", "0", "80", "443", "65535", "65536", "080", "x"])}`;
    if (next() % 5 === 0) a = `${pick(["u", "u:p", "", "%40"])}@${a}`;
    texts.push(`${pick(["http", "https"])}://${a}${pick(["/cb", "", "/", "?x", "#f", "/a?b#c"])}`);
  }
  const out = await urls(pkg, file, seed, texts);
  const tally = {};
  for (const r of out) for (const a of r.slice(1)) { const k = Array.isArray(a) && a[0] === "ERR" ? a[1] : "ok"; tally[k] = (tally[k] ?? 0) + 1; }
  return { n: out.length, sha: hash(out), tally };
}
