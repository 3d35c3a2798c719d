// One run, one machine: size, cold start and throughput of partner-oauth
// next to oauth4webapi, arctic and @badgateway/oauth2-client, plus the
// native Rust cost of the same operations. Prints a table and each of issue
// 19's targets with pass or fail, and appends the run to benches/results.json
// (the history). Every ratio is the median of RUNS (5) runs in this one
// invocation. Speed and size are reported, never asserted by a test.
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
const RUNS = 5;
// The full build without `verifyAccessToken` (cargo `--no-default-features
// --features server`), built by scripts/bench.sh, for the JWT share.
const NO_JWT = resolve(here, "../target/bench/no-jwt");
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

/** Fresh Node processes, import → first authorize URL: COLD_RUNS per lib,
 *  interleaved across libs in RUNS batches, so a slow moment of the machine
 *  hits every lib alike. `{ lib: { ms, batches } }`: the median of all runs
 *  and the median of each batch (the ratios use the batches). */
function measureColdStarts(bundles) {
  const runs = Object.fromEntries(LIBS.map((lib) => [lib, Array.from({ length: RUNS }, () => [])]));
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const lib of LIBS) {
      const out = spawnSync(process.execPath, [join(here, "cold-child.mjs"), bundles[lib]], { encoding: "utf8" });
      if (out.status !== 0) throw new Error(`${lib} cold start failed: ${out.stderr}`);
      runs[lib][i % RUNS].push(Number(out.stdout.trim()));
    }
  }
  return Object.fromEntries(LIBS.map((lib) => [lib, { ms: median(runs[lib].flat()), batches: runs[lib].map(median) }]));
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

const OPS = ["startFlow", "checkCallback", "parseBillit", "parsePayfit", "refreshRequest", "refreshExchange"];

/** ops/s of one round of ~250 ms. */
async function round(fn) {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < 250) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
    elapsed = performance.now() - start;
  }
  return (n * 1000) / elapsed;
}

/** Every lib in this one process; one warm-up round, then RUNS runs, each a
 *  round of every op of every lib in turn. `{ lib: { op: [ops/s per run] } }`. */
async function measureThroughput(bundles) {
  const ops = {};
  for (const lib of LIBS) {
    const flow = await import(bundles[lib]);
    const ctx = flow.setup();
    const started = await flow.startFlow(ctx);
    await flow.exchangeAndRefresh(ctx, await flow.startFlow(ctx)); // the whole flow works
    ops[lib] = {
      startFlow: () => flow.startFlow(ctx),
      checkCallback: () => flow.checkCallback(ctx, started),
      parseBillit: () => flow.parseBillit(ctx, BILLIT_BODY),
      parsePayfit: () => flow.parsePayfit(ctx, PAYFIT_BODY),
      refreshRequest: () => flow.refreshRequest(ctx),
      refreshExchange: () => flow.refreshExchange(ctx),
    };
  }
  const runs = Object.fromEntries(LIBS.map((lib) => [lib, Object.fromEntries(OPS.map((op) => [op, []]))]));
  for (let r = 0; r <= RUNS; r++) {
    for (const op of OPS) {
      for (const lib of LIBS) {
        const value = await round(ops[lib][op]);
        if (r > 0) runs[lib][op].push(value); // run 0 warms up
      }
    }
  }
  return runs;
}

/** ours / theirs per run, then the median of the RUNS ratios. */
function medianRatio(ours, theirs) {
  return median(ours.map((v, i) => v / theirs[i]));
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

/** gzip -9 of the wasm + the esbuild-minified wasm-bindgen glue of `dir`. */
async function buildBytes(dir) {
  const outfile = join(dist, `glue-${dir.split("/").slice(-2).join("-")}.mjs`);
  await build({
    stdin: { contents: `export * from ${JSON.stringify(join(dir, "partner_oauth.js"))};`, resolveDir: here, loader: "js" },
    outfile, bundle: true, format: "esm", platform: "browser", minify: true, target: "es2022", logLevel: "error",
    plugins: [{ name: "wasm", setup(b) { b.onResolve({ filter: /\.wasm$|snippets/ }, (args) => ({ path: args.path, external: true })); } }],
  });
  return sizes(readFileSync(join(dir, "partner_oauth_bg.wasm"))).gzip + sizes(readFileSync(outfile)).gzip;
}

/** The JWT share: gzip(full) − gzip(full without `verifyAccessToken`), as
 *  wasm + glue of the two builds, plus the package's own JS for it (the
 *  browser entry with and without `verifyAccessToken` exported). */
async function measureJwtShare() {
  if (!existsSync(join(NO_JWT, "partner_oauth_bg.wasm"))) return { error: `no build in ${NO_JWT} (scripts/bench.sh builds it)` };
  const entry = async (names, tag) => {
    const outfile = join(dist, `entry-${tag}.mjs`);
    await build({
      stdin: { contents: `export { ${names.join(", ")} } from "partner-oauth";`, resolveDir: here, loader: "js" },
      outfile, bundle: true, format: "esm", platform: "browser", minify: true, treeShaking: true, target: "es2022",
      plugins: [ours("browser")], logLevel: "error",
    });
    return sizes(readFileSync(outfile)).gzip;
  };
  const names = ["OAuthClient", "createRefresher", "newPkceVerifier", "pkceChallenge", "errorCodes", "OAuthError"];
  const wasmAndGlue = (await buildBytes(pkg)) - (await buildBytes(NO_JWT));
  const js = (await entry([...names, "verifyAccessToken"], "all")) - (await entry(names, "no-jwt"));
  return { bytes: wasmAndGlue + js, wasmAndGlue, js };
}

function run(script, env = {}) {
  const out = spawnSync(process.execPath, [join(here, script)], { encoding: "utf8", env: { ...process.env, ...env } });
  return out.status === 0 ? JSON.parse(out.stdout) : { error: out.stderr.slice(-300) };
}

const results = { date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, runs: RUNS, libs: {} };
const nodeBundles = {};
for (const lib of LIBS) {
  nodeBundles[lib] = await bundle(lib, "node");
  results.libs[lib] = { size: await measureSize(lib), pageSize: await measurePageSize(lib) };
}
results.jwtShare = await measureJwtShare();
process.stderr.write("measured sizes\n");
const cold = measureColdStarts(nodeBundles);
for (const lib of LIBS) results.libs[lib].coldStartMs = cold[lib].ms;
process.stderr.write("measured cold starts\n");
const throughput = await measureThroughput(nodeBundles);
for (const lib of LIBS) {
  results.libs[lib].opsPerSecond = Object.fromEntries(OPS.map((op) => [op, median(throughput[lib][op])]));
  results.libs[lib].opsPerSecondRuns = throughput[lib];
}
process.stderr.write("measured throughput\n");
// ours / theirs, each the median of the RUNS per-run ratios.
results.ratios = {};
for (const lib of LIBS.slice(1)) {
  results.ratios[lib] = { coldStart: median(cold["partner-oauth"].batches.map((v, i) => v / cold[lib].batches[i])) };
  for (const op of OPS) results.ratios[lib][op] = medianRatio(throughput["partner-oauth"][op], throughput[lib][op]);
}
results.wasmColdStartMs = measureWasmColdStart();
results.pageWasmColdStartMs = measureWasmColdStart("page");
// Part of the page's Node figure is Node's, not ours: its first
// crypto.getRandomValues loads its WebCrypto (a browser's is loaded).
results.nodeFirstRandomMs = measureWasmColdStart("random");
results.chromiumColdStartMs = run("browser-cold.mjs", { COLD_RUNS: String(COLD_RUNS) });
const workerd = run("workerd-cold.mjs", { RUNS: String(RUNS) });
results.workerdFirstRequest = workerd.error ? workerd : {
  withMs: median(workerd.with.first), withoutMs: median(workerd.without.first),
  secondWithMs: median(workerd.with.second), secondWithoutMs: median(workerd.without.second),
  ratio: median(workerd.ratios), runs: workerd,
};
process.stderr.write("measured cold starts (wasm, Chromium, workerd)\n");
results.nativeNsPerOp = nativeEstimates();

// Issue 19's targets, with issue 26's sizes (page ≤ 16, full ≤ 45). Sizes
// in KB of 1,024 bytes, as the table prints them.
const us = results.libs["partner-oauth"];
const KB = 1024;
const r = results.ratios;
const chromiumPage = results.chromiumColdStartMs.page;
// ops/s through the boundary against the native core's ns/op.
const ofNative = (op) => (us.opsPerSecond[op] * results.nativeNsPerOp[op]) / 1e9;
const targets = [
  ["partner-oauth/page, gzip", us.pageSize.gzip / KB, "<=", 16, "KB"],
  ["full build, gzip", us.size.gzip / KB, "<=", 45, "KB"],
  ["JWT verification's share, gzip", results.jwtShare.bytes / KB, "<=", 5, "KB"],
  ["Chromium cold start, page build", chromiumPage, "<=", 3, "ms"],
  ["Node wasmColdStartMs, full build", results.wasmColdStartMs, "<=", 6, "ms"],
  ["Node, bytes → first URL, page build (issue 26)", results.pageWasmColdStartMs, "<=", 4, "ms"],
  ["Chromium, bytes → first URL, page build (issue 26)", chromiumPage, "<=", 4, "ms"],
  ["workerd first request, with / without", results.workerdFirstRequest.ratio, "<=", 1.5, "x"],
  ["startFlow / native core (issue 26)", ofNative("startFlow"), ">=", 0.4, "x"],
  ["checkCallback / native core (issue 26)", ofNative("checkCallback"), ">=", 0.4, "x"],
  ["checkCallback / oauth4webapi", r.oauth4webapi.checkCallback, ">=", 0.5, "x"],
  ["startFlow / oauth4webapi", r.oauth4webapi.startFlow, ">=", 10, "x"],
  ["startFlow / arctic", r.arctic.startFlow, ">=", 3, "x"],
  ["parseBillit / oauth4webapi", r.oauth4webapi.parseBillit, ">=", 1.5, "x"],
  ["parsePayfit / oauth4webapi", r.oauth4webapi.parsePayfit, ">=", 1.5, "x"],
].map(([name, value, op, limit, unit]) => {
  const measured = typeof value === "number" && Number.isFinite(value);
  const pass = measured && (op === "<=" ? value <= limit : value >= limit);
  return { name, value: measured ? Number(value.toFixed(3)) : null, target: `${op} ${limit} ${unit}`, pass };
});
results.targets = targets;

// results.json keeps every run (oldest first); a file from before the
// history holds one run, which becomes the first.
const historyFile = join(here, "results.json");
const previous = existsSync(historyFile) ? JSON.parse(readFileSync(historyFile, "utf8")) : [];
const history = Array.isArray(previous) ? previous : [previous];
history.push(results);
writeFileSync(historyFile, JSON.stringify(history, null, 2) + "\n");

// The table: ours, theirs, and ours / theirs (for speeds, the median of the
// per-run ratios; sizes are exact).
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const fmt = (n) => n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const exact = (get) => (o) => get(us) / get(results.libs[o]);
const rows = [
  ["size, gzip (wasm + JS)", (l) => l.size.gzip, kb, exact((l) => l.size.gzip)],
  ["size, brotli", (l) => l.size.brotli, kb, exact((l) => l.size.brotli)],
  ["size, raw", (l) => l.size.raw, kb, exact((l) => l.size.raw)],
  ["page only (start + callback), gzip", (l) => l.pageSize.gzip, kb, exact((l) => l.pageSize.gzip)],
  ["cold start → first URL (ms, median)", (l) => l.coldStartMs, (n) => n.toFixed(2), (o) => r[o].coldStart],
  ...OPS.map((op) => [`${op} (ops/s)`, (l) => l.opsPerSecond[op], fmt, (o) => r[o][op]]),
];
const others = LIBS.slice(1);
const header = ["metric", "partner-oauth", ...others.flatMap((o) => [o, "ours/theirs"])];
const lines = rows.map(([label, get, show, ratio]) => [label, show(get(us)), ...others.flatMap((o) => [show(get(results.libs[o])), ratio(o).toFixed(2)])]);
const table = (head, body) => {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((l) => String(l[i]).length)));
  const print = (cells) => console.log(cells.map((c, i) => String(c).padEnd(widths[i])).join(" │ "));
  print(head);
  console.log(widths.map((w) => "─".repeat(w)).join("─┼─"));
  body.forEach(print);
};
console.log(`\npartner-oauth bench — ${results.date}, Node ${results.node}, ${results.cpu}`);
table(header, lines);
console.log(`\nsizes: ratio < 1 is smaller; speeds: ratio > 1 is faster; speed ratios: median of ${RUNS} runs.`);
console.log(`partner-oauth WebAssembly compile + instantiate + first URL (bytes in hand): ${results.wasmColdStartMs.toFixed(2)} ms median of ${COLD_RUNS}; page build ${results.pageWasmColdStartMs.toFixed(2)} ms, of which Node's first crypto.getRandomValues alone takes ${results.nodeFirstRandomMs.toFixed(2)} ms in a fresh process`);
const chromium = results.chromiumColdStartMs;
console.log(chromium.error ? `Chromium cold start: not measured (${chromium.error})` : `the same in headless Chromium (a fresh context per run): ${chromium.full.toFixed(2)} ms; page build ${chromium.page.toFixed(2)} ms`);
const w = results.workerdFirstRequest;
console.log(w.error ? `workerd: not measured (${w.error})` : `workerd first request after load: ${w.withMs.toFixed(2)} ms with the package, ${w.withoutMs.toFixed(2)} ms without (second request ${w.secondWithMs.toFixed(2)} / ${w.secondWithoutMs.toFixed(2)} ms)`);
const j = results.jwtShare;
console.log(j.error ? `JWT share: not measured (${j.error})` : `JWT verification's share: ${j.bytes} B gzip (wasm + glue ${j.wasmAndGlue} B, package JS ${j.js} B)`);
console.log("native core (ns/op, criterion median):", Object.entries(results.nativeNsPerOp).map(([k, v]) => `${k} ${typeof v === "number" ? v.toFixed(0) : v}`).join(", "));

// Against the baseline of 2026-11-22 (before any optimisation), where it has the figure.
const baseline = JSON.parse(readFileSync(join(here, "baseline-2026-11-22.json"), "utf8"));
const base = baseline.libs["partner-oauth"];
const baseOf = {
  "full build, gzip": base.size.gzip / KB,
  "startFlow / oauth4webapi": base.opsPerSecond.startFlow / baseline.libs.oauth4webapi.opsPerSecond.startFlow,
  "startFlow / arctic": base.opsPerSecond.startFlow / baseline.libs.arctic.opsPerSecond.startFlow,
  "checkCallback / oauth4webapi": base.opsPerSecond.checkCallback / baseline.libs.oauth4webapi.opsPerSecond.checkCallback,
  "parseBillit / oauth4webapi": base.opsPerSecond.parseBillit / baseline.libs.oauth4webapi.opsPerSecond.parseBillit,
  "parsePayfit / oauth4webapi": base.opsPerSecond.parsePayfit / baseline.libs.oauth4webapi.opsPerSecond.parsePayfit,
};
console.log("\nissue 19's targets");
table(["target", "measured", "wanted", "baseline 2026-11-22", "result"],
  targets.map((t) => [t.name, t.value ?? "not measured", t.target, baseOf[t.name]?.toFixed(2) ?? "—", t.pass ? "PASS" : "FAIL"]));
console.log(`${targets.filter((t) => t.pass).length} of ${targets.length} targets met`);
console.log("appended to benches/results.json");
