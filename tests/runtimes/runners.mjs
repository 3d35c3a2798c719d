// Node's side of the grant suite's runners in workerd and Chromium
// (tests/consumers/redirects/ hosts both, in the Miniflare and the browser
// it already starts) and the report every runner shares: one subtest per
// case, from each case's outcome ("ok", "skip", or the failure).
import http from "node:http";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { cases, consentByFetch, runsIn } from "./grants.mjs";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * workerd.mjs bundled as wrangler would (condition "workerd"), with the
 * package `packageDir` holds, into `outdir` beside its .wasm.
 */
export async function bundleForWorkerd(esbuild, packageDir, outdir) {
  mkdirSync(outdir, { recursive: true });
  const thePackage = {
    name: "the installed package",
    setup(build) {
      // Resolved from beside the package (its exports, condition "workerd"); the mark stops this hook answering itself.
      build.onResolve({ filter: /^partner-oauth$/ }, (args) => (args.pluginData === thePackage ? undefined
        : build.resolve(args.path, { kind: args.kind, resolveDir: dirname(packageDir), pluginData: thePackage })));
    },
  };
  await esbuild.build({
    entryPoints: [join(here, "workerd.mjs")], outfile: join(outdir, "grants.mjs"), bundle: true, format: "esm",
    platform: "neutral", conditions: ["workerd", "worker"], external: ["*.wasm"], logLevel: "warning", plugins: [thePackage],
  });
  copyFileSync(join(packageDir, "partner_oauth_bg.wasm"), join(outdir, "partner_oauth_bg.wasm"));
  return join(outdir, "grants.mjs");
}

/** Every case through a Worker running workerd.mjs (its SANDBOX binding set), one request each. */
export async function inWorker(fetchFrom) {
  const outcomes = [];
  for (const index of cases.keys()) {
    const response = await fetchFrom(`http://runner/?case=${index}`);
    outcomes.push(response.ok ? "ok" : await response.text());
  }
  return outcomes;
}

/** A local site for page.html: the suite's files, and the installed package under /pkg/, unbundled. */
export async function pageSite(packageDir) {
  const TYPES = { ".html": "text/html", ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm" };
  const site = http.createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const file = path.startsWith("/pkg/") ? normalize(join(packageDir, path.slice(5))) : join(here, path.slice(1));
    const served = path.startsWith("/pkg/") ? file.startsWith(packageDir) : /^\/(page\.html|page\.mjs|grants\.mjs|assert\.mjs)$/.test(path);
    try {
      if (!served) throw new Error("not served");
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${site.address().port}/page.html`, close: () => new Promise((resolve) => site.close(resolve)) };
}

/** The page-runnable cases in a new tab of `browser` at `url`; the others "skip". */
export async function inPage(browser, url, described) {
  const tab = await browser.newPage();
  const errors = [];
  tab.on("pageerror", (e) => errors.push(e));
  // The user's click on the provider's consent page, done from here.
  await tab.exposeFunction("consent", consentByFetch);
  await tab.goto(url);
  await tab.waitForSelector("body[data-ready]", { state: "attached" });
  const outcomes = [];
  for (const [index, entry] of cases.entries()) {
    outcomes.push(runsIn(entry, { page: true }) ? await tab.evaluate(([i, s]) => window.runCase(i, s), [index, described]) : "skip");
  }
  await tab.close();
  if (errors.length) outcomes.push(`the page threw: ${errors.join("; ")}`);
  return outcomes;
}

/** One subtest of `t` per case. */
export async function report(t, runtime, outcomes) {
  for (const [index, [name]] of cases.entries()) {
    const outcome = outcomes[index];
    if (outcome === "skip") {
      await t.test(name, { skip: "holds a client secret: a server's case" }, () => {});
      continue;
    }
    await t.test(name, () => {
      if (outcome !== "ok") throw new Error(`${runtime} failed it:\n${outcome}`);
    });
  }
  if (outcomes.length > cases.length) throw new Error(outcomes.slice(cases.length).join("\n"));
}
