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
