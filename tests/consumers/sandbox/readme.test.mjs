// The README's "Test against the sandbox" example, extracted from README.md
// (not a copy) and run as a user's own node:test file would be, in a project
// that installed the tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { startSandbox } from "partner-oauth/sandbox";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));

test("the README's sandbox example runs green from the installed package", () => {
  const readme = readFileSync(join(here, "../../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Test against the sandbox"));
  const block = /```js\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf("\n## ", 5)))?.[1];
  assert.ok(block, "the section has a js block");
  const file = join(here, "readme-example.generated.test.mjs");
  writeFileSync(file, block);
  try {
    // A node --test child of a test would report in the parent's binary protocol.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const run = spawnSync(process.execPath, ["--test", "--test-reporter=tap", file], { cwd: here, encoding: "utf8", timeout: 60_000, env });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /# pass 1\n/);
  } finally {
    rmSync(file, { force: true });
  }
});

// The README's Node server (Quick start), extracted and run as `node
// server.mjs` with the sandbox's Billit options: connect, the callback with
// and without its cookie, the API call, and the refresh a refused token asks
// for (the sandbox's clock moved past the token's expiry; the server's is
// not, so only the refusal can tell it).
test("the README's Node server connects Billit, refreshes a refused token, and refuses a replayed callback", async (t) => {
  const readme = readFileSync(join(here, "../../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("**A whole connection in a Node server**"));
  const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block?.includes("http.createServer"), "the Node server block is where the README says");
  const file = join(here, "node-server.generated.mjs");
  writeFileSync(file, block);
  t.after(() => rmSync(file, { force: true }));

  const redirectUri = "http://127.0.0.1:9000/oauth/callback";
  const sandbox = await startSandbox({ redirectUris: [redirectUri], autoConsent: "approve" });
  t.after(() => sandbox.close());
  const options = sandbox.config().billit;
  const admin = new URL(options.endpoints.api).origin;
  const server = spawn(process.execPath, [file], {
    cwd: here, stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, BILLIT: JSON.stringify(options), STATE_KEY: "readme-state-key-".repeat(3) },
  });
  t.after(() => server.kill());
  const base = "http://127.0.0.1:9000";
  for (let i = 0; ; i++) {
    try {
      await fetch(`${base}/`);
      break;
    } catch (error) {
      if (i === 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const get = (url, headers = {}) => fetch(url, { redirect: "manual", headers });

  assert.equal((await get(`${base}/orders`)).headers.get("location"), "/connect", "no token yet: connect first");
  const connect = await get(`${base}/connect`);
  assert.equal(connect.status, 302);
  const setCookie = connect.headers.get("set-cookie");
  assert.match(setCookie, /^pending=p\d\.[^;]+; HttpOnly; Secure; SameSite=Lax; Path=\/oauth; Max-Age=600$/);
  const back = (await get(connect.headers.get("location"))).headers.get("location");
  assert.ok(back.startsWith(`${redirectUri}?code=`), back);
  const cookie = setCookie.split(";")[0];
  const callback = await get(back, { cookie });
  assert.equal(callback.status, 303);
  assert.equal(callback.headers.get("location"), "/orders");
  assert.equal(callback.headers.get("set-cookie"), "pending=; Path=/oauth; Max-Age=0");
  // Reloaded, the cookie gone: refused before the code is spent again.
  const replay = await get(back);
  assert.deepEqual([replay.status, await replay.text()], [400, "missing_pending"]);

  const orders = await get(`${base}/orders`);
  assert.equal(orders.status, 200);
  assert.deepEqual((await orders.json()).Items[0], { OrderID: 1, OrderNumber: "SB-0001" });
  const grants = async () => (await (await fetch(`${admin}/_sandbox/stats`)).json()).billit;
  assert.equal((await get(`${base}/orders`)).status, 200, "a live token is used as it is");
  const before = await grants();
  const clock = await fetch(`${admin}/_sandbox/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advance: 86_400 }) });
  assert.equal(clock.status, 200);
  const later = await get(`${base}/orders`);
  assert.equal(later.status, 200, await later.clone().text());
  assert.deepEqual((await later.json()).Items[0], { OrderID: 1, OrderNumber: "SB-0001" });
  const after = await grants();
  assert.equal(before.refresh_token ?? 0, 0, "no refresh before the clock moved");
  assert.equal(after.refresh_token, 1, "the refused token was refreshed once");
  // The sandbox counts the calls it answers, not the refused one.
  assert.deepEqual([before.api, after.api], [2, 3], "the retry with the fresh token");
});
