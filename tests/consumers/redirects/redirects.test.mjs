// The packed package in real workerd (Miniflare) and headless Chromium,
// one of each for the whole file. Finding 9: a token endpoint's or an API's
// redirect is never followed, so the secret, the refresh token and the
// access token never reach where it points. And the grant suite
// (tests/runtimes/grants.mjs) in both: in the page, its public-client cases
// and secret_in_browser.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join, normalize, extname } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { chromium } from "playwright-core";
import { providers } from "partner-oauth";
import { sandboxFor } from "../../runtimes/harness.mjs";
import { bundleForWorkerd, inPage, inWorker, pageSite, report } from "../../runtimes/runners.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve("partner-oauth/package.json"));
let server, origin, stolen = [], mf, browser, sandbox, described, site;

before(async () => {
  // One origin plays three parts: the redirecting authorization server and
  // API (/token, /api/*), where they point (/collect), and the test page.
  server = http.createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/collect") {
      let body = "";
      req.on("data", (c) => (body += c)).on("end", () => { stolen.push({ body, authorization: req.headers.authorization ?? null }); res.end("{}"); });
      return;
    }
    req.resume();
    if (path === "/token" || path.startsWith("/api/")) return res.writeHead(307, { location: `${origin}/collect` }).end();
    if (path === "/") {
      return res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html>
<script type="importmap">{ "imports": { "partner-oauth": "/pkg/browser.js" } }</script>
<pre id="result"></pre>
<script type="module">
  import { OAuthClient } from "partner-oauth";
  const client = new OAuthClient({ provider: "custom", clientId: "cid", redirectUri: location.origin + "/cb",
    endpoints: { authorize: location.origin + "/authorize", token: location.origin + "/token", api: location.origin + "/api" } });
  const outcome = {};
  try { await client.refresh("the-refresh-token"); outcome.refresh = "resolved"; } catch (e) { outcome.refresh = e.code; }
  const response = await client.fetchApi("the-access-token", "/me");
  outcome.apiStatus = response.status;
  outcome.apiType = response.type;
  document.getElementById("result").textContent = JSON.stringify(outcome);
</script>`);
    }
    if (path.startsWith("/pkg/")) {
      const file = normalize(join(packageDir, path.slice(5)));
      if (!file.startsWith(packageDir)) return res.writeHead(404).end();
      try {
        return res.writeHead(200, { "content-type": { ".js": "text/javascript", ".wasm": "application/wasm" }[extname(file)] ?? "application/octet-stream" }).end(await readFile(file));
      } catch {
        return res.writeHead(404).end();
      }
    }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${server.address().port}`;
  ({ sandbox, described } = await sandboxFor(providers().map(({ name }) => name)));
  site = await pageSite(packageDir);
  await esbuild.build({
    entryPoints: [join(here, "worker.mjs")], outfile: join(dist, "worker.mjs"), bundle: true, format: "esm",
    platform: "neutral", conditions: ["workerd", "worker"], external: ["*.wasm"], logLevel: "warning",
  });
  const grants = await bundleForWorkerd(esbuild, packageDir, dist);
  const worker = (name, scriptPath, compatibilityDate, bindings) => ({
    name, modules: true, scriptPath, modulesRoot: dist, compatibilityDate, bindings,
    modulesRules: [{ type: "ESModule", include: ["**/*.mjs", "**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
  });
  mf = new Miniflare({
    workers: [
      worker("redirects", join(dist, "worker.mjs"), "2025-06-01", { AS: origin }),
      worker("grants", grants, "2026-04-01", { SANDBOX: JSON.stringify(described) }),
    ],
  });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
  await mf?.dispose();
  await site?.close();
  await sandbox?.close();
  server.close();
});

test("finding 9 in workerd: a redirecting token endpoint is unexpected_redirect, an API redirect is handed back, nothing follows", async () => {
  stolen = [];
  const outcome = await (await mf.dispatchFetch("https://worker.example/")).json();
  assert.deepEqual(outcome, { refresh: "unexpected_redirect", apiStatus: 307 });
  assert.deepEqual(stolen, []);
});

test("finding 9 in Chromium: the token endpoint's redirect is unexpected_redirect, the API's an opaque redirect, nothing follows", async () => {
  stolen = [];
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(origin);
  await page.waitForFunction(() => document.getElementById("result").textContent);
  assert.deepEqual(JSON.parse(await page.locator("#result").textContent()), { refresh: "unexpected_redirect", apiStatus: 0, apiType: "opaqueredirect" });
  assert.deepEqual(errors, []);
  assert.deepEqual(stolen, []);
  await page.close();
});

// One sandbox for both: the Billit case moves its clock forward, which only
// makes later tokens start later.
test("the grant suite in workerd", async (t) => {
  const grants = await mf.getWorker("grants");
  await report(t, "workerd", await inWorker((url) => grants.fetch(url)));
});

test("the grant suite in Chromium: the public-client cases, and a client secret refused (secret_in_browser)", async (t) => {
  await report(t, "chromium", await inPage(browser, site.url, described));
});
