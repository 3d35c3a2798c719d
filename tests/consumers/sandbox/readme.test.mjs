// The README's "Test against the sandbox" example, extracted from README.md
// (not a copy) and run as a user's own node:test file would be, in a project
// that installed the tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { connect } from "node:net";
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
// server.mjs` with the sandbox's Billit options, driven as a browser would:
// connect, the callback with and without its cookie, the API call, the
// refresh a refused token asks for (the sandbox's clock moved past the
// token's expiry; the server's is not, so only the refusal can tell it), and
// review 64's attacks on the example.
test("the README's Node server connects Billit, refreshes a refused token, and holds review 64's attacks", async (t) => {
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
  const adminPost = (route, body) => fetch(`${admin}/_sandbox/${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const grants = async () => (await (await fetch(`${admin}/_sandbox/stats`)).json()).billit ?? {};
  const server = spawn(process.execPath, [file], {
    cwd: here, stdio: ["ignore", "inherit", "pipe"],
    env: { ...process.env, BILLIT: JSON.stringify(options), STATE_KEY: "readme-state-key-".repeat(3) },
  });
  let stderr = "";
  server.stderr.on("data", (chunk) => { stderr += chunk; });
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
  const alive = async () => assert.equal((await get(`${base}/nothing`)).status, 404, `the server still answers: ${stderr}`);
  const start = async () => {
    const connecting = await get(`${base}/connect`);
    assert.equal(connecting.status, 302);
    const setCookie = connecting.headers.get("set-cookie");
    assert.match(setCookie, /^__Host-pending=p\d\.[^;]+; HttpOnly; Secure; SameSite=Lax; Path=\/; Max-Age=600$/);
    const back = (await get(connecting.headers.get("location"))).headers.get("location");
    assert.ok(back.startsWith(`${redirectUri}?code=`), back);
    return { back, cookie: setCookie.split(";")[0] };
  };

  assert.equal((await get(`${base}/orders`)).headers.get("location"), "/connect", "no token yet: connect first");

  // Review 64, 1: a request target the URL parser refuses stopped the process.
  await new Promise((resolve, reject) => {
    const socket = connect(9000, "127.0.0.1", () => socket.end("GET // HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
    socket.on("data", () => {}).on("close", resolve).on("error", reject);
  });
  await alive();

  // Review 64, 3: two pending cookies (one planted from a sibling domain) are none.
  const planted = await start();
  const mine = await start();
  const two = await get(mine.back, { cookie: `${planted.cookie}; ${mine.cookie}` });
  assert.deepEqual([two.status, await two.text()], [400, "missing_pending"]);
  // Review 64, 4: a refused callback leaves the cookie alone, so the real one still lands.
  const forged = await get(`${redirectUri}?code=forged&state=forged`, { cookie: mine.cookie });
  assert.equal(forged.status, 400);
  assert.equal(forged.headers.get("set-cookie"), null);

  // Review 64, 2: a reload while the exchange is slow must not spend the code again.
  assert.equal((await adminPost("switch", { clientId: options.clientId, delayMs: 600 })).status, 200);
  const first = get(mine.back, { cookie: mine.cookie });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const reload = await get(mine.back, { cookie: mine.cookie });
  const callback = await first;
  assert.equal(reload.status, 400, "the reload is refused");
  assert.equal(callback.status, 303);
  assert.equal(callback.headers.get("location"), "/orders");
  assert.match(callback.headers.get("set-cookie"), /^__Host-pending=; Secure; Path=\/; Max-Age=0$/);
  assert.equal((await adminPost("switch", { clientId: options.clientId, reset: true })).status, 200);
  assert.equal((await grants()).authorization_code, 1, "one exchange");
  // Reloaded later, the cookie gone: refused before the code is spent again.
  const replay = await get(mine.back);
  assert.deepEqual([replay.status, await replay.text()], [400, "missing_pending"]);

  const orders = await get(`${base}/orders`);
  assert.equal(orders.status, 200);
  assert.equal(orders.headers.get("cache-control"), "private, no-store");
  assert.deepEqual((await orders.json()).Items[0], { OrderID: 1, OrderNumber: "SB-0001" });
  const before = await grants();
  assert.equal(before.refresh_token ?? 0, 0, "no refresh while the token lives");
  assert.equal((await adminPost("clock", { advance: 86_400 })).status, 200);
  const later = await get(`${base}/orders`);
  assert.equal(later.status, 200, await later.clone().text());
  const after = await grants();
  assert.equal(after.refresh_token, 1, "the refused token was refreshed once");
  // The sandbox counts the calls it answers, not the refused one.
  assert.equal(after.api, before.api + 1, "the retry with the fresh token");

  // A grant the provider ended: the token is dropped and the user reconnects.
  assert.equal((await adminPost("switch", { clientId: options.clientId, refuseRefresh: true })).status, 200);
  assert.equal((await adminPost("clock", { advance: 86_400 })).status, 200);
  const dead = await get(`${base}/orders`);
  assert.deepEqual([dead.status, dead.headers.get("location")], [303, "/connect"]);
  assert.equal((await get(`${base}/orders`)).headers.get("location"), "/connect", "no token kept");

  // Review 65, 2: a request still holding the old grant, refused after the
  // user reconnected, must not delete the new one.
  assert.equal((await adminPost("switch", { clientId: options.clientId, reset: true })).status, 200);
  const old = await start();
  assert.equal((await get(old.back, { cookie: old.cookie })).status, 303);
  const renewed = await start();
  const slow = { clientId: options.clientId, rejectTokens: true, refuseRefresh: true, delayMs: 1000 };
  assert.equal((await adminPost("switch", slow)).status, 200);
  const reconnect = get(renewed.back, { cookie: renewed.cookie });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const stale = await get(`${base}/orders`);
  assert.deepEqual([(await reconnect).status, stale.status, stale.headers.get("location")], [303, 303, "/connect"]);
  assert.equal((await adminPost("switch", { clientId: options.clientId, reset: true })).status, 200);
  assert.equal((await get(`${base}/orders`)).status, 200, "the reconnected grant was kept");
  await alive();
});
