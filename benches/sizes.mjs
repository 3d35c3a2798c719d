// Sizes only, measured as run.mjs measures them (esbuild bundle of the
// bench's flow, minified, plus the .wasm, gzip -9 with Node's zlib): for
// stepping through size work without the ~4 minutes of the whole bench.
//   node benches/sizes.mjs [pkg dir]
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { readFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(process.argv[2] ?? join(here, "../pkg"));
const dist = join(here, "dist");
mkdirSync(dist, { recursive: true });
const ours = (home) => ({
  name: "partner-oauth", setup(b) {
    b.onResolve({ filter: /^partner-oauth$/ }, () => ({ path: join(pkg, `${home}.js`) }));
    b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: args.path, external: true }));
  },
});
const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
async function measure(home, contents, wasm) {
  const outfile = join(dist, `sizes.${home}.mjs`);
  await build({
    stdin: { contents, resolveDir: here, loader: "js" }, outfile, bundle: true, format: "esm", platform: "browser",
    minify: true, treeShaking: true, target: "es2022", plugins: [ours(home)], logLevel: "error",
  });
  const js = gz(outfile), w = gz(wasm);
  return { total: js + w, wasm: w, js };
}
const full = await measure("browser", `export * from "./flows/partner-oauth.mjs";`, join(pkg, "partner_oauth_bg.wasm"));
const page = await measure("page", `export { setup, startFlow, checkCallback } from "./flows/partner-oauth.mjs";`, join(pkg, "page", "partner_oauth_bg.wasm"));
console.log(`full ${full.total} B (wasm ${full.wasm} + JS ${full.js}) | page ${page.total} B (wasm ${page.wasm} + JS ${page.js})`);
