// workerd first request, split by step: each variant is a Worker in
// workers/parts/ that stops after one step (import only, options reader,
// constructor, start, ...), timed as workerd-cold.mjs times its Workers
// (fresh Miniflare, behind the front Worker, outer wall time: Date.now()
// is frozen inside workerd). Variants run interleaved, RUNS rounds, each
// round in a rotated order; prints per variant the median first request
// and its quartiles, and the median second request.
//   VARIANTS=bare,ctor,with RUNS=21 node workerd-parts.mjs
// A `page-` prefix loads the page build (pkg/page, through page-workerd.js
// written here: a measurement only, Workers need the full build).
// MINIFLARE=path: another Miniflare build (the eleventh wd session patched
// a copy to pass workerd's v8Flags from WD_V8_FLAGS). A `~` suffix
// (`ctor~`) runs the variant with WD_V8_FLAGS set to ALT_V8_FLAGS (both
// through such a build). A `b-` prefix loads the package in PKG_B (another
// build's pkg/), for A/B runs interleaved in one process.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import { firstRequests } from "./workerd-first.mjs";
const { Miniflare } = await import(process.env.MINIFLARE ?? "miniflare");

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist", "workerd-parts");
const pkg = resolve(here, "../pkg");
const RUNS = Number(process.env.RUNS ?? 9);
const variants = (process.env.VARIANTS ?? "bare,import,ctor,with,without").split(",");
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, "page-workerd.js"), `import wasm from "./page/partner_oauth_bg.wasm";
import { initSync } from ${JSON.stringify(join(pkg, "page", "partner_oauth.js"))};
initSync({ module: wasm });
export { OAuthClient, newPkceVerifier, pkceChallenge } from ${JSON.stringify(join(pkg, "page", "partner_oauth.js"))};
`);
const pkgB = process.env.PKG_B && resolve(process.env.PKG_B);
const entryFor = (v) => v.startsWith("page-") ? join(dist, "page-workerd.js") : v.startsWith("b-") ? join(pkgB, "workerd.js") : join(pkg, "workerd.js");
const base = (v) => v.replace(/^(page-|b-)/, "").replace(/~$/, "");
for (const name of [...new Set(variants.map((v) => v.replace(/~$/, "")))].concat("front")) {
  const file = name === "front" ? join(here, "workers", "front.mjs") : join(here, "workers", "parts", `${base(name)}.mjs`);
  await build({
    entryPoints: [file], outfile: join(dist, `${name}.mjs`), bundle: true, format: "esm",
    platform: "neutral", minify: true, logLevel: "error",
    plugins: [{ name: "partner-oauth", setup(b) {
      b.onResolve({ filter: /^partner-oauth$/ }, () => ({ path: entryFor(name) }));
      b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: name.startsWith("b-") ? args.path.replace("./", "./b/") : args.path, external: true }));
    } }],
  });
}
copyFileSync(join(pkg, "partner_oauth_bg.wasm"), join(dist, "partner_oauth_bg.wasm"));
mkdirSync(join(dist, "page"), { recursive: true });
copyFileSync(join(pkg, "page", "partner_oauth_bg.wasm"), join(dist, "page", "partner_oauth_bg.wasm"));
if (pkgB) {
  mkdirSync(join(dist, "b"), { recursive: true });
  copyFileSync(join(pkgB, "partner_oauth_bg.wasm"), join(dist, "b", "partner_oauth_bg.wasm"));
}

const flags = process.env.WD_V8_FLAGS;
const once = (name) => {
  if (name.endsWith("~")) process.env.WD_V8_FLAGS = process.env.ALT_V8_FLAGS ?? "";
  else if (flags === undefined) delete process.env.WD_V8_FLAGS;
  else process.env.WD_V8_FLAGS = flags;
  return firstRequests(Miniflare, dist, name.replace(/~$/, ""));
};
const res = Object.fromEntries(variants.map((v) => [v, { first: [], second: [] }]));
for (let i = 0; i < RUNS; i++) {
  const order = variants.map((_, k) => variants[(k + i) % variants.length]);
  for (const v of order) {
    const [a, b] = await once(v);
    res[v].first.push(a); res[v].second.push(b);
  }
}
const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); const i = (s.length - 1) * p; const lo = Math.floor(i); return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo); };
const f = (x) => x.toFixed(2);
console.log(`variant            first med [p25-p75]        second med`);
for (const v of variants) {
  const { first, second } = res[v];
  console.log(`${v.padEnd(18)} ${f(q(first, .5)).padStart(6)} [${f(q(first, .25))}-${f(q(first, .75))}]   ${f(q(second, .5))}`);
}
if (process.env.JSON) console.log(JSON.stringify(res));
// A/B pairs (`x` and `b-x`, or `x` and `x~`): the median of the per-round
// differences, which a machine's load drifting between rounds moves less.
for (const v of variants) {
  for (const other of [`b-${v}`, `${v}~`]) {
    if (!res[other]) continue;
    const d = res[v].first.map((a, i) => a - res[other].first[i]);
    const ratio = q(res[v].first, 0.5) / q(res[other].first, 0.5);
    console.log(`${v} - ${other}: ${f(q(d, .5))} ms [${f(q(d, .25))} to ${f(q(d, .75))}], ${d.filter((x) => x < 0).length}/${d.length} rounds faster; medians' ratio ${ratio.toFixed(3)}`);
  }
}
