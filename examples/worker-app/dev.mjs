// `npm run dev:node`: the starter in workerd through Miniflare, for Node 20
// (wrangler 4 needs Node ≥ 22). It does what `wrangler dev` does with
// wrangler.toml: bundles src/ with esbuild (`cloudflare:*` external, the
// .wasm a CompiledWasm module beside the bundle), binds the CONNECTIONS
// Durable Object, sets the compatibility date and ORIGIN, reads .dev.vars,
// and serves on 127.0.0.1:8787. Restart it after editing src/ or .dev.vars.
//   PORT=0 picks a free port; DEV_VARS=path reads another file (the tests do).
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, ".wrangler/dev-node");
const wrangler = readFileSync(join(root, "wrangler.toml"), "utf8");
const setting = (name) => wrangler.match(new RegExp(`^${name} = "([^"]+)"`, "m"))[1];

/** .dev.vars: NAME=value lines, `#` comments; a value may be quoted. */
function devVars(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    console.error(`no ${path}: copy .dev.vars.example to .dev.vars and fill it`);
    process.exit(1);
  }
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/);
    if (!match) continue;
    const value = match[2].trim();
    vars[match[1]] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  }
  return vars;
}

mkdirSync(dist, { recursive: true });
await esbuild.build({
  entryPoints: [join(root, setting("main"))], outfile: join(dist, "index.js"),
  bundle: true, format: "esm", platform: "neutral", conditions: ["workerd", "worker"],
  external: ["cloudflare:*", "*.wasm"], logLevel: "warning",
});
copyFileSync(createRequire(import.meta.url).resolve("partner-oauth/partner_oauth_bg.wasm"), join(dist, "partner_oauth_bg.wasm"));

// [vars], then .dev.vars (its secrets; an ORIGIN there wins), as wrangler merges them.
const bindings = { ORIGIN: setting("ORIGIN"), ...devVars(process.env.DEV_VARS ?? join(root, ".dev.vars")) };
const mf = new Miniflare({
  modules: true, scriptPath: join(dist, "index.js"), modulesRoot: dist,
  modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: setting("compatibility_date"),
  // wrangler.toml's [[durable_objects.bindings]]: CONNECTIONS → the exported Connection class.
  durableObjects: { CONNECTIONS: setting("class_name") },
  bindings,
  host: "127.0.0.1",
  port: Number(process.env.PORT ?? 8787),
});
const url = await mf.ready;
console.log(`worker-app on ${url.origin} (ORIGIN ${bindings.ORIGIN}); Ctrl-C stops it`);
const stop = async () => { await mf.dispose(); process.exit(0); };
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
