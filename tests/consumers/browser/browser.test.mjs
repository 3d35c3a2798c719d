// Browser home: a Vite build of a page using the installed package, served
// on 127.0.0.1 and driven in Debian's headless Chromium with playwright-core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { dirname, join, extname } from "node:path";
import { build } from "vite";
import { chromium } from "playwright-core";
import { startSandbox, sandboxClients } from "partner-oauth/sandbox";

const here = dirname(fileURLToPath(import.meta.url));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
let sandbox, site, browser, origin;

before(async () => {
  await build({ root: here, configFile: join(here, "vite.config.mjs") });
  site = http.createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/config.json") {
      const config = {
        clients: { custom: sandboxClients("custom").public, billit: { clientId: sandboxClients("billit").main.clientId } },
        endpoints: { custom: sandbox.endpoints("custom"), billit: sandbox.endpoints("billit") },
      };
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(config));
    }
    // /csp/… and /csp-no-wasm/…: the same files under a Content-Security-Policy.
    const [, csp, rest] = path.match(/^\/(csp|csp-no-wasm)(\/.*)$/) ?? [, null, path];
    const headers = { "content-type": TYPES[extname(rest) || ".html"] ?? "application/octet-stream" };
    if (csp) headers["content-security-policy"] = csp === "csp" ? "script-src 'self' 'wasm-unsafe-eval'" : "script-src 'self'";
    try {
      const file = await readFile(join(here, "dist", rest === "/" ? "index.html" : rest));
      res.writeHead(200, headers).end(file);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => site.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${site.address().port}`;
  sandbox = await startSandbox({ redirectUris: [`${origin}/`, `${origin}/page.html`, `${origin}/csp/page.html`] });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => { await browser?.close(); await sandbox?.close(); site?.close(); });

async function open() {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(origin);
  await page.waitForSelector("body[data-ready]");
  return { page, errors };
}

const json = async (page, id) => JSON.parse(await page.locator(`#${id}`).textContent());

test("a public client runs code + PKCE and exchanges in the page", async () => {
  const { page, errors } = await open();
  await page.click("#connect-custom");
  await page.click("#approve");
  await page.waitForFunction(() => document.getElementById("result").textContent || document.getElementById("error").textContent);
  assert.equal(await page.locator("#error").textContent(), "");
  const result = await json(page, "result");
  assert.deepEqual({ ...result, expiresIn: result.expiresIn > 590 }, { provider: "custom", tokenType: "Bearer", scopes: ["profile"], hasRefresh: true, expiresIn: true });
  assert.deepEqual(errors, []);
});

test("billit: the payload comes back through state", async () => {
  const { page } = await open();
  await page.click("#connect-billit");
  await page.click("#approve");
  await page.waitForFunction(() => document.getElementById("result").textContent);
  assert.deepEqual(await json(page, "result"), { provider: "billit", payload: "customer=42&plan=pro", codeReceived: true });
});

test("billit: a denial is access_denied", async () => {
  const { page } = await open();
  await page.click("#connect-billit");
  await page.click("#deny");
  await page.waitForFunction(() => document.getElementById("error").textContent);
  const error = await json(page, "error");
  assert.equal(error.code, "access_denied");
  assert.equal(error.isOAuthError, true);
});

test("an edited state in the callback URL is state_mismatch", async () => {
  const { page } = await open();
  await page.click("#connect-billit");
  await page.waitForSelector("#approve");
  // Press Approve outside the page, then edit the state as a user could.
  const request = await page.locator('input[name="request"]').getAttribute("value");
  const answer = await fetch(new URL("/billit/consent", sandbox.url), {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ request, decision: "approve" }),
  });
  const back = new URL(answer.headers.get("location"));
  back.searchParams.set("state", back.searchParams.get("state").slice(0, -2) + "xx");
  await page.goto(back.toString());
  await page.waitForFunction(() => document.getElementById("error").textContent);
  assert.equal((await json(page, "error")).code, "state_mismatch");
});

test("partner-oauth/page: the page build runs the Billit flow and loads only its own, smaller module", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  const wasm = [];
  page.on("response", async (response) => {
    if (response.url().endsWith(".wasm")) wasm.push((await response.body()).length);
  });
  await page.goto(`${origin}/page.html`);
  await page.waitForSelector("body[data-ready]");
  await page.click("#connect-billit");
  await page.click("#approve");
  await page.waitForFunction(() => document.getElementById("result").textContent || document.getElementById("error").textContent);
  assert.equal(await page.locator("#error").textContent(), "");
  assert.deepEqual(await json(page, "result"), { payload: "customer=42&plan=pro", codeReceived: true, canExchange: false });
  assert.deepEqual(errors, []);
  const installed = join(here, "..", "node_modules", "partner-oauth");
  const [pageBuild, fullBuild] = await Promise.all([
    readFile(join(installed, "page", "partner_oauth_bg.wasm")),
    readFile(join(installed, "partner_oauth_bg.wasm")),
  ]);
  assert.ok(wasm.length >= 1 && wasm.every((bytes) => bytes === pageBuild.length), `${wasm} vs ${pageBuild.length}`);
  assert.ok(pageBuild.length < fullBuild.length * 0.7);
});

test("partner-oauth/page runs under script-src 'self' 'wasm-unsafe-eval' (no eval, no inline script), and the policy is in force", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await page.goto(`${origin}/csp/page.html`);
  await page.waitForSelector("body[data-ready]");
  await page.click("#connect-billit");
  await page.click("#approve");
  await page.waitForFunction(() => document.getElementById("result").textContent || document.getElementById("error").textContent);
  assert.equal(new URL(page.url()).pathname, "/csp/page.html");
  assert.equal(await page.locator("#error").textContent(), "");
  assert.deepEqual(await json(page, "result"), { payload: "customer=42&plan=pro", codeReceived: true, canExchange: false });
  assert.deepEqual(errors, []);
  // The control: without 'wasm-unsafe-eval' the same page cannot compile its module.
  const refused = await browser.newPage();
  const refusal = new Promise((resolve) => {
    refused.on("pageerror", (e) => resolve(String(e)));
    refused.on("console", (message) => message.type() === "error" && resolve(message.text()));
  });
  await refused.goto(`${origin}/csp-no-wasm/page.html`);
  assert.match(await refusal, /WebAssembly|wasm-unsafe-eval|Content Security Policy/i);
  assert.equal(await refused.evaluate(() => document.body.dataset.ready), undefined);
});

test("verifyAccessToken through Chromium's WebCrypto: every algorithm and key form, every refusal named", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${origin}/jwt.html`);
  await page.waitForFunction(() => document.getElementById("result").textContent || document.getElementById("error").textContent, null, { timeout: 20_000 });
  assert.equal(await page.locator("#error").textContent(), "");
  assert.equal(await page.locator("#result").textContent(), "all checks passed");
  assert.deepEqual(errors, []);
});
