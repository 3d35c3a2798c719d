// examples/page-to-server run as it is, in headless Chromium against the
// sandbox: the page starts and parses, the server checks again and
// exchanges; the payload of a page-started flow is reported unverified; a
// server-started flow's payload is signed; a cross-site finish is refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { symlink, mkdir, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";
import { startSandbox, sandboxClients } from "partner-oauth/sandbox";

const here = dirname(fileURLToPath(import.meta.url));
const example = join(here, "../../../examples/page-to-server");
let sandbox, app, browser;

before(async () => {
  // The example imports "partner-oauth" as an app that installed it would:
  // point it at the tarball installed here.
  await mkdir(join(example, "node_modules"), { recursive: true });
  await rm(join(example, "node_modules/partner-oauth"), { force: true, recursive: true });
  await symlink(join(here, "../node_modules/partner-oauth"), join(example, "node_modules/partner-oauth"), "dir");
  const port = await new Promise((resolve) => { const s = http.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });
  const origin = `http://127.0.0.1:${port}`;
  sandbox = await startSandbox({ redirectUris: [`${origin}/oauth/callback`, `${origin}/server/callback`] });
  const { startApp } = await import(join(example, "server.mjs"));
  const { clientId, clientSecret } = sandboxClients("billit").main;
  app = await startApp({ port, stateKey: randomBytes(32).toString("base64url"), billit: { clientId, clientSecret, endpoints: sandbox.endpoints("billit") } });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => { await browser?.close(); await app?.close(); await sandbox?.close(); await rm(join(example, "node_modules"), { force: true, recursive: true }); });

async function page() {
  const p = await browser.newPage();
  const errors = [];
  p.on("pageerror", (e) => errors.push(e));
  await p.goto(app.origin);
  await p.waitForSelector("body[data-ready]");
  return { p, errors };
}
const outcome = (p) => p.waitForFunction(() => document.getElementById("result").textContent || document.getElementById("error").textContent)
  .then(async () => ({ result: await p.locator("#result").textContent(), error: await p.locator("#error").textContent() }));

test("the page starts and parses; the server checks again and exchanges; the payload is reported unverified", async () => {
  const { p, errors } = await page();
  await p.click("#connect");
  await p.click("#approve");
  const { result, error } = await outcome(p);
  assert.equal(error, "");
  const answer = JSON.parse(result);
  assert.equal(answer.connected, true);
  assert.match(answer.user, /^customer-\d+$/, "who connected comes from the server's session");
  assert.equal(answer.payload, "plan=pro");
  assert.equal(answer.payloadVerified, false);
  assert.deepEqual(errors, []);
});

test("a server-started flow keeps its pending value in an HttpOnly cookie and signs the payload", async () => {
  const { p } = await page();
  await p.click("#server-start");
  await p.click("#approve");
  await p.waitForFunction(() => document.body.textContent.includes("connected"));
  const answer = JSON.parse(await p.locator("body").textContent());
  assert.equal(answer.connected, true);
  assert.equal(answer.payloadVerified, true);
  assert.equal(answer.payload, `customer=${answer.user}`);
});

test("another site cannot finish a flow for the user", async () => {
  const response = await fetch(`${app.origin}/oauth/finish`, { method: "POST", headers: { origin: "https://evil.example", "content-type": "application/json" }, body: "{}" });
  assert.equal(response.status, 403);
});

// The outside review (SECURITY.md, review F6): login CSRF by a planted cookie.
test("review F6: a server-started flow finishes only in the session that started it", async () => {
  const cookieOf = (response, name) => response.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith(`${name}=`));
  // Mallory starts a flow in her own session and approves it with her account.
  const home = await fetch(app.origin);
  const mallory = cookieOf(home, "sid");
  const start = await fetch(`${app.origin}/server/start`, { redirect: "manual", headers: { cookie: mallory } });
  const pending = cookieOf(start, "pending");
  const consentPage = await (await fetch(start.headers.get("location"))).text();
  const request = /name="request" value="([^"]+)"/.exec(consentPage)[1];
  const approved = await fetch(new URL("/billit/consent", sandbox.url), {
    method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ request, decision: "approve" }),
  });
  const callbackUrl = approved.headers.get("location");
  // The victim's browser is made to load Mallory's callback with her cookie planted.
  const victim = cookieOf(await fetch(app.origin), "sid");
  const landed = await fetch(callbackUrl, { redirect: "manual", headers: { cookie: `${victim}; ${pending}` } });
  assert.equal(landed.status, 400, "refused: the flow was started by another session");
  assert.notEqual((await landed.json()).connected, true);
});
