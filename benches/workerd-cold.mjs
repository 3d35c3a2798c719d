// workerd (Miniflare) cold start: the wall time of a Worker's first request
// once the runtime has loaded the script, with partner-oauth (start a flow)
// and without it (the same URL built by hand). RUNS pairs, each Worker in a
// fresh Miniflare behind a front Worker (workers/front.mjs) that has already
// answered one request, so the connection from Node is open. Prints JSON:
// per variant the first and second requests' times (ms) and the per-pair
// ratios with / without.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import { Miniflare } from "miniflare";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist", "workerd");
const pkg = resolve(here, "../pkg");
const RUNS = Number(process.env.RUNS ?? 5);
mkdirSync(dist, { recursive: true });

for (const name of ["with-package", "without-package", "front"]) {
  await build({
    entryPoints: [join(here, "workers", `${name}.mjs`)], outfile: join(dist, `${name}.mjs`), bundle: true, format: "esm",
    platform: "neutral", minify: true, logLevel: "error",
    plugins: [{ name: "partner-oauth", setup(b) {
      b.onResolve({ filter: /^partner-oauth$/ }, () => ({ path: join(pkg, "workerd.js") }));
      b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: args.path, external: true }));
    } }],
  });
}
copyFileSync(join(pkg, "partner_oauth_bg.wasm"), join(dist, "partner_oauth_bg.wasm"));

async function once(name) {
  const worker = (script, extra) => ({
    name: script, modules: true, scriptPath: join(dist, `${script}.mjs`), modulesRoot: dist, compatibilityDate: "2026-04-01",
    modulesRules: [{ type: "ESModule", include: ["**/*.mjs"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }], ...extra,
  });
  const mf = new Miniflare({ workers: [worker("front", { serviceBindings: { TARGET: name } }), worker(name)] });
  try {
    await mf.ready;
    await (await mf.dispatchFetch("http://localhost/ping")).text();
    const times = [];
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      const res = await mf.dispatchFetch("http://localhost/start");
      const text = await res.text();
      times.push(performance.now() - t0);
      if (!text.startsWith("https://")) throw new Error(`${name}: ${res.status} ${text.slice(0, 200)}`);
    }
    return times;
  } finally {
    await mf.dispose();
  }
}

const result = { with: { first: [], second: [] }, without: { first: [], second: [] }, ratios: [] };
for (let i = 0; i < RUNS; i++) {
  const [withFirst, withSecond] = await once("with-package");
  const [withoutFirst, withoutSecond] = await once("without-package");
  result.with.first.push(withFirst);
  result.with.second.push(withSecond);
  result.without.first.push(withoutFirst);
  result.without.second.push(withoutSecond);
  result.ratios.push(withFirst / withoutFirst);
}
process.stdout.write(JSON.stringify(result));
