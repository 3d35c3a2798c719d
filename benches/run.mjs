// One run, one machine: size, cold start and throughput of partner-oauth
// next to oauth4webapi, arctic and @badgateway/oauth2-client, plus the
// native Rust cost of the same operations. Prints a table, writes
// benches/results.json. Speed and size are reported, never asserted.
//
//   bash scripts/bench.sh
import { build } from "esbuild";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import os from "node:os";
import { BILLIT_BODY, PAYFIT_BODY } from "./flows/common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const pkg = resolve(here, "../pkg");
const LIBS = ["partner-oauth", "oauth4webapi", "arctic", "badgateway"];
const COLD_RUNS = Number(process.env.COLD_RUNS ?? 30);
mkdirSync(dist, { recursive: true });

/** "partner-oauth" → the built package's entry for `home`, left external. */
const ours = (home) => ({
  name: "partner-oauth", setup(b) {
    b.onResolve({ filter: /^partner-oauth$/ }, () => ({ path: join(pkg, `${home}.js`), external: home === "node" }));
    b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: args.path, external: true }));
  },
});

async function bundle(lib, platform) {
  const outfile = join(dist, `${lib}.${platform}.mjs`);
  await build({
    entryPoints: [join(here, "flows", `${lib}.mjs`)], outfile, bundle: true, format: "esm", platform,
    minify: platform === "browser", treeShaking: true, target: "es2022", plugins: [ours(platform === "browser" ? "browser" : "node")],
    logLevel: "error",
  });
  return outfile;
}

const sizes = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** A bundle's sizes, plus our `.wasm` (`wasmPath`) when the lib is ours. */
function shipped(lib, jsPath, wasmPath) {
  const parts = { js: sizes(readFileSync(jsPath)) };
  if (lib === "partner-oauth") parts.wasm = sizes(readFileSync(wasmPath));
  const total = Object.values(parts).reduce((a, p) => ({ raw: a.raw + p.raw, gzip: a.gzip + p.gzip, brotli: a.brotli + p.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  return { ...total, parts };
}

async function measureSize(lib) {
  return shipped(lib, await bundle(lib, "browser"), join(pkg, "partner_oauth_bg.wasm"));
}

/** What a page ships when it only starts flows and checks callbacks (its
 *  server exchanges): the same flow module, tree-shaken to those two; ours
 *  is `partner-oauth/page`, the page build. */
async function measurePageSize(lib) {
  const outfile = join(dist, `${lib}.page.mjs`);
  await build({
    stdin: { contents: `export { setup, startFlow, checkCallback } from "./flows/${lib}.mjs";`, resolveDir: here, loader: "js" },
    outfile, bundle: true, format: "esm", platform: "browser", minify: true, treeShaking: true, target: "es2022",
    plugins: [ours("page")], logLevel: "error",
  });
  return shipped(lib, outfile, join(pkg, "page", "partner_oauth_bg.wasm"));
}

/** Median of COLD_RUNS fresh Node processes: import → first authorize URL. */
function measureColdStart(lib, bundlePath) {
  const runs = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const out = spawnSync(process.execPath, [join(here, "cold-child.mjs"), bundlePath], { encoding: "utf8" });
    if (out.status !== 0) throw new Error(`${lib} cold start failed: ${out.stderr}`);
    runs.push(Number(out.stdout.trim()));
  }
  return median(runs);
}

/** partner-oauth only: bytes in hand → compile + instantiate + first URL. */
function measureWasmColdStart(build = "") {
  const runs = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const out = spawnSync(process.execPath, [join(here, "wasm-cold-child.mjs"), build], { encoding: "utf8" });
    if (out.status !== 0) throw new Error(`wasm cold start failed: ${out.stderr}`);
    runs.push(Number(out.stdout.trim()));
  }
  return median(runs);
}

/** The same in headless Chromium (browser-cold.mjs): { full, page } ms. */
function measureChromiumColdStart() {
  const out = spawnSync(process.execPath, [join(here, "browser-cold.mjs")], { encoding: "utf8", env: { ...process.env, COLD_RUNS: String(COLD_RUNS) } });
  return out.status === 0 ? JSON.parse(out.stdout) : { error: out.stderr.slice(-300) };
}

/** ops/s: one warm-up round, then the median of `rounds` rounds of ~250 ms. */
async function opsPerSecond(fn, rounds = 5) {
  const round = async () => {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < 250) {
      for (let i = 0; i < 50; i++) await fn();
      n += 50;
      elapsed = performance.now() - start;
    }
    return (n * 1000) / elapsed;
  };
  await round();
  const results = [];
  for (let i = 0; i < rounds; i++) results.push(await round());
  return median(results);
}

async function measureThroughput(lib, bundlePath) {
  const flow = await import(bundlePath);
  const ctx = flow.setup();
  const started = await flow.startFlow(ctx);
  const ops = {
    startFlow: () => flow.startFlow(ctx),
    checkCallback: () => flow.checkCallback(ctx, started),
    parseBillit: () => flow.parseBillit(ctx, BILLIT_BODY),
    parsePayfit: () => flow.parsePayfit(ctx, PAYFIT_BODY),
    refreshRequest: () => flow.refreshRequest(ctx),
    refreshExchange: () => flow.refreshExchange(ctx),
  };
  await flow.exchangeAndRefresh(ctx, await flow.startFlow(ctx)); // the whole flow works
  const result = {};
  for (const [op, fn] of Object.entries(ops)) result[op] = await opsPerSecond(fn);
  return result;
}

/** criterion's estimates for the native core, in ns per operation. */
function nativeEstimates() {
  const cargo = spawnSync("cargo", ["bench", "--bench", "core", "--", "--warm-up-time", "1", "--measurement-time", "2"], { cwd: resolve(here, ".."), encoding: "utf8" });
  if (cargo.status !== 0) return { error: cargo.stderr.slice(-500) };
  const result = {};
  for (const op of ["startFlow", "checkCallback", "parseBillit", "parsePayfit", "refreshRequest"]) {
    const file = resolve(here, "../target/criterion", op, "new/estimates.json");
    if (existsSync(file)) result[op] = JSON.parse(readFileSync(file, "utf8")).median.point_estimate;
  }
  return result;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const results = { date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, libs: {} };
for (const lib of LIBS) {
  const nodeBundle = await bundle(lib, "node");
  results.libs[lib] = {
    size: await measureSize(lib),
    pageSize: await measurePageSize(lib),
    coldStartMs: measureColdStart(lib, nodeBundle),
    opsPerSecond: await measureThroughput(lib, nodeBundle),
  };
  process.stderr.write(`measured ${lib}\n`);
}
results.wasmColdStartMs = measureWasmColdStart();
results.pageWasmColdStartMs = measureWasmColdStart("page");
results.chromiumColdStartMs = measureChromiumColdStart();
results.nativeNsPerOp = nativeEstimates();
writeFileSync(join(here, "results.json"), JSON.stringify(results, null, 2) + "\n");

// The table: ours, theirs, and the ratio ours / theirs.
const us = results.libs["partner-oauth"];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const fmt = (n) => n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const rows = [
  ["size, gzip (wasm + JS)", (l) => l.size.gzip, kb, "lower"],
  ["size, brotli", (l) => l.size.brotli, kb, "lower"],
  ["size, raw", (l) => l.size.raw, kb, "lower"],
  ["page only (start + callback), gzip", (l) => l.pageSize.gzip, kb, "lower"],
  ["cold start → first URL (ms, median)", (l) => l.coldStartMs, (n) => n.toFixed(2), "lower"],
  ...["startFlow", "checkCallback", "parseBillit", "parsePayfit", "refreshRequest", "refreshExchange"].map((op) => [`${op} (ops/s)`, (l) => l.opsPerSecond[op], fmt, "higher"]),
];
const others = LIBS.slice(1);
const header = ["metric", "partner-oauth", ...others.flatMap((o) => [o, "ours/theirs"])];
const lines = rows.map(([label, get, show]) => [label, show(get(us)), ...others.flatMap((o) => [show(get(results.libs[o])), (get(us) / get(results.libs[o])).toFixed(2)])]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
const print = (cells) => console.log(cells.map((c, i) => String(c).padEnd(widths[i])).join(" │ "));
console.log(`\npartner-oauth bench — ${results.date}, Node ${results.node}, ${results.cpu}`);
print(header);
console.log(widths.map((w) => "─".repeat(w)).join("─┼─"));
lines.forEach(print);
console.log("\nsizes: ratio < 1 is smaller; speeds: ratio > 1 is faster.");
console.log(`partner-oauth WebAssembly compile + instantiate + first URL (bytes in hand): ${results.wasmColdStartMs.toFixed(2)} ms median of ${COLD_RUNS}; page build ${results.pageWasmColdStartMs.toFixed(2)} ms`);
const chromium = results.chromiumColdStartMs;
console.log(chromium.error ? `Chromium cold start: not measured (${chromium.error})` : `the same in headless Chromium (a fresh context per run): ${chromium.full.toFixed(2)} ms; page build ${chromium.page.toFixed(2)} ms`);
console.log("native core (ns/op, criterion median):", Object.entries(results.nativeNsPerOp).map(([k, v]) => `${k} ${typeof v === "number" ? v.toFixed(0) : v}`).join(", "));
console.log("written: benches/results.json");
