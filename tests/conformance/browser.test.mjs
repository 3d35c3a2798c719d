// The happy path in headless Chromium: a page loads the installed package's
// browser entry (no bundler: an import map), starts a public-client flow,
// the browser itself signs in and consents at oidc-provider's pages, and the
// page parses the callback, exchanges the code (CORS) and refreshes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, extname, normalize } from "node:path";
import { chromium } from "playwright-core";
import { startProvider, SCOPES } from "./provider.mjs";

const packageDir = dirname(createRequire(import.meta.url).resolve("partner-oauth/package.json"));
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm" };

// Starts a flow on first load; on the callback, finishes it. Results land in
// #result or #error for the test to read; tokens never reach the DOM.
const PAGE = (config) => `<!doctype html>
<script type="importmap">{ "imports": { "partner-oauth": "/pkg/browser.js" } }</script>
<pre id="result"></pre><pre id="error"></pre>
<script type="module">
  import { OAuthClient } from "partner-oauth";
  const config = ${JSON.stringify(config)};
  const client = new OAuthClient({ provider: "custom", ...config });
  const show = (id, value) => { document.getElementById(id).textContent = JSON.stringify(value); };
  try {
    if (location.pathname === "/callback") {
      const pending = sessionStorage.getItem("pending");
      sessionStorage.removeItem("pending");
      const callback = client.parseCallback(location.href, pending);
      const token = await client.exchangeCode(callback, pending);
      const refreshed = await client.refresh(token);
      show("result", {
        iss: callback.iss, scopes: token.scopes, expiresIn: Math.round((token.expiresAt - Date.now()) / 1000),
        rotated: Boolean(refreshed.refreshToken) && refreshed.refreshToken !== token.refreshToken,
        refreshedScopes: refreshed.scopes,
      });
    } else {
      const { url, pending } = client.startAuthorization({ scopes: ${JSON.stringify(SCOPES)} });
      sessionStorage.setItem("pending", pending);
      location.assign(url);
    }
  } catch (e) {
    show("error", { code: e.code, message: e.message });
  }
</script>`;

let site, server, browser, origin;

before(async () => {
  site = http.createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path.startsWith("/pkg/")) {
      const file = normalize(join(packageDir, path.slice(5)));
      if (!file.startsWith(packageDir)) return res.writeHead(404).end();
      try {
        return res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(await readFile(file));
      } catch {
        return res.writeHead(404).end();
      }
    }
    const config = { clientId: "public-client", redirectUri: `${origin}/callback`, endpoints: server.endpoints, preset: { issuer: server.issuer } };
    res.writeHead(200, { "content-type": "text/html" }).end(PAGE(config));
  });
  await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${site.address().port}`;
  server = await startProvider({ redirectUris: [`${origin}/callback`] });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => { await browser?.close(); await server?.close(); site?.close(); });

test("Chromium: a public client signs in at oidc-provider, exchanges with PKCE and refreshes, in the page", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  // Offline: the provider's pages import a web font; never wait for it.
  await page.route((url) => !url.href.startsWith("http://127.0.0.1"), (route) => route.abort());

  // The page navigates on its own at once: wait only for it to start loading.
  await page.goto(`${origin}/`, { waitUntil: "commit" });
  await page.waitForSelector("input[name=prompt][value=login]", { state: "attached" });
  await page.fill("input[name=login]", "browser-user");
  await page.fill("input[name=password]", "any");
  await page.click("button[type=submit]");
  await page.waitForSelector("input[name=prompt][value=consent]", { state: "attached" });
  await page.click("button[type=submit]");
  await page.waitForURL(/\/callback\?/);
  await page.waitForFunction(() => document.getElementById("result").textContent || document.getElementById("error").textContent);

  assert.equal(await page.locator("#error").textContent(), "");
  const result = JSON.parse(await page.locator("#result").textContent());
  assert.equal(result.iss, server.issuer);
  assert.deepEqual(result.scopes, SCOPES);
  assert.ok(result.expiresIn > 3500 && result.expiresIn <= 3600, `expires in ${result.expiresIn} s`);
  assert.equal(result.rotated, true);
  assert.deepEqual(result.refreshedScopes, SCOPES);
  assert.deepEqual(errors, []);
});
