// Finding 9 in real workerd (Miniflare) and headless Chromium: a token
// endpoint's or an API's redirect is never followed, so the secret, the
// refresh token and the access token never reach where it points.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { copyFileSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join, normalize, extname } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve("partner-oauth/package.json"));
let server, origin, stolen = [];

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
});
after(() => server.close());

test("finding 9 in workerd: a redirecting token endpoint is unexpected_redirect, an API redirect is handed back, nothing follows", async () => {
  mkdirSync(dist, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, "worker.mjs")], outfile: join(dist, "worker.mjs"), bundle: true, format: "esm",
    platform: "neutral", conditions: ["workerd", "worker"], external: ["*.wasm"], logLevel: "warning",
  });
  copyFileSync(require.resolve("partner-oauth/partner_oauth_bg.wasm"), join(dist, "partner_oauth_bg.wasm"));
  stolen = [];
  const mf = new Miniflare({
    modules: true, scriptPath: join(dist, "worker.mjs"), modulesRoot: dist, compatibilityDate: "2025-06-01",
    modulesRules: [{ type: "ESModule", include: ["**/*.mjs", "**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
    bindings: { AS: origin },
  });
  try {
    const outcome = await (await mf.dispatchFetch("https://worker.example/")).json();
    assert.deepEqual(outcome, { refresh: "unexpected_redirect", apiStatus: 307 });
    assert.deepEqual(stolen, []);
  } finally {
    await mf.dispose();
  }
});

test("finding 9 in Chromium: the token endpoint's redirect is unexpected_redirect, the API's an opaque redirect, nothing follows", async () => {
  stolen = [];
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e));
    await page.goto(origin);
    await page.waitForFunction(() => document.getElementById("result").textContent);
    assert.deepEqual(JSON.parse(await page.locator("#result").textContent()), { refresh: "unexpected_redirect", apiStatus: 0, apiType: "opaqueredirect" });
    assert.deepEqual(errors, []);
    assert.deepEqual(stolen, []);
  } finally {
    await browser.close();
  }
});
