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
import { firstRequests } from "./workerd-first.mjs";
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

const once = (name) => firstRequests(Miniflare, dist, name);

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
