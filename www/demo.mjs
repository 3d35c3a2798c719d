// Starts the demo: the provider sandbox in Node, and the demo's Worker
// (www/demo/worker.mjs, bundled as wrangler would) in workerd through
// Miniflare, on http://127.0.0.1:8787. With credentials in .env (see
// .env.example) a provider uses its real endpoints instead of the sandbox.
//
//   node www/demo.mjs [--port 8787]

import { existsSync, readFileSync, mkdirSync, copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import net from "node:net";
import crypto from "node:crypto";

const here = dirname(fileURLToPath(import.meta.url));

/** KEY=value lines; real credentials per provider, e.g. BILLIT_CLIENT_ID. */
function readEnv(path) {
  if (!existsSync(path)) return {};
  return Object.fromEntries(readFileSync(path, "utf8").split("\n")
    .map((line) => line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/)).filter(Boolean).map((m) => [m[1], m[2]]));
}

async function freePort() {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * `from`: a folder whose node_modules holds partner-oauth, miniflare and
 * esbuild (default www/, where partner-oauth links to ../pkg; the tests pass
 * tests/consumers, where the packed tarball is installed).
 */
export async function startDemo({ port = 8787, env = readEnv(join(here, "../.env")), stateMaxAge = 600, from = here, persist = null } = {}) {
  const require = createRequire(join(from, "package.json"));
  const load = async (name) => import(pathToFileURL(require.resolve(name)));
  const [{ Miniflare }, esbuild, { startSandbox, sandboxClients }, { providers }] = await Promise.all([
    load("miniflare"), load("esbuild"),
    import(pathToFileURL(require.resolve("partner-oauth/sandbox"))),
    import(pathToFileURL(require.resolve("partner-oauth"))),
  ]);
  const names = providers().map(({ name }) => name).filter((name) => name !== "custom");
  const dist = join(from, ".demo-dist");
  await bundle(esbuild.default ?? esbuild, require, dist, from);

  port = port || await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const sandbox = await startSandbox({ redirectUris: names.map((p) => `${origin}/connections/${p}/callback`) });
  const real = Object.fromEntries(names.filter((p) => env[`${p.toUpperCase()}_CLIENT_ID`]).map((p) => {
    const prefix = p.toUpperCase();
    return [p, { clientId: env[`${prefix}_CLIENT_ID`], clientSecret: env[`${prefix}_CLIENT_SECRET`], environment: env[`${prefix}_ENVIRONMENT`] || undefined }];
  }));
  const mf = new Miniflare({
    host: "127.0.0.1", port,
    modules: true, scriptPath: join(dist, "worker.mjs"), modulesRoot: dist,
    modulesRules: [{ type: "ESModule", include: ["**/*.mjs", "**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
    durableObjects: { CONNECTIONS: "Connection", LOG: "Log" },
    ...(persist && { durableObjectsPersist: persist }),
    queueProducers: { EVENTS: "events" },
    queueConsumers: { events: { maxBatchTimeout: 0.2 } },
    bindings: {
      ORIGIN: origin,
      SANDBOX_URL: sandbox.url,
      SANDBOX_CLIENTS: JSON.stringify(Object.fromEntries(names.map((p) => [p, { ...sandboxClients(p).main, endpoints: sandbox.endpoints(p) }]))),
      REAL_CLIENTS: JSON.stringify(real),
      STATE_MAX_AGE: String(stateMaxAge),
      // Fresh keys per run: the demo's connections last as long as it does.
      STATE_KEY: crypto.randomBytes(32).toString("base64url"),
      TOKEN_KEYS: `k1:${crypto.randomBytes(32).toString("base64url")}`,
    },
  });
  await mf.ready;
  return {
    url: origin, sandbox, mf,
    close: async () => { await mf.dispose(); await sandbox.close(); },
  };
}

/** The Worker as wrangler bundles it: `cloudflare:*` external, the .wasm a CompiledWasm module beside it. */
async function bundle(esbuild, require, dist, from) {
  mkdirSync(dist, { recursive: true });
  const packageDir = dirname(require.resolve("partner-oauth/package.json"));
  await esbuild.build({
    entryPoints: [join(here, "demo/worker.mjs")], outfile: join(dist, "worker.mjs"),
    bundle: true, format: "esm", platform: "neutral", conditions: ["workerd", "worker"],
    external: ["cloudflare:*", "*.wasm"], loader: { ".html": "text", ".css": "text" }, logLevel: "warning",
    plugins: [{
      name: "demo",
      setup(build) {
        // partner-oauth from `from`'s node_modules (the tarball in the tests).
        build.onResolve({ filter: /^partner-oauth(\/|$)/ }, (args) => args.pluginData ? undefined
          : build.resolve(args.path, { kind: args.kind, resolveDir: from, pluginData: true }));
        // `./app.js?text`: the page's script, served as text.
        build.onResolve({ filter: /\?text$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.slice(0, -5)), namespace: "text" }));
        build.onLoad({ filter: /.*/, namespace: "text" }, (args) => ({ contents: readFileSync(args.path, "utf8"), loader: "text" }));
      },
    }],
  });
  copyFileSync(join(packageDir, "partner_oauth_bg.wasm"), join(dist, "partner_oauth_bg.wasm"));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const port = process.argv.includes("--port") ? Number(process.argv[process.argv.indexOf("--port") + 1]) : 8787;
  const demo = await startDemo({ port });
  console.log(`\npartner-oauth demo (workerd): open ${demo.url}   [up in ${((Date.now() - started) / 1000).toFixed(1)} s]\n(provider sandbox on ${demo.sandbox.url}; Ctrl-C to stop)\n`);
  const stop = async () => { await demo.close(); process.exit(0); };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
