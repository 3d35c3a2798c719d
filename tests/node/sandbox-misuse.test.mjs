// Cold review 58, findings 2, 3 and 6: the sandbox is a test tool, so a
// misused option or admin body must fail loudly, never pass silently (a
// consent that denies, a clock that stops, a switch that does nothing) or
// take the test process down. Newcomer 63: the CLI outlives no parent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startSandbox } from "../../www/sandbox/server.mjs";

const refused = (pattern) => (e) => e instanceof TypeError && pattern.test(e.message);

test("cold58 finding 2: an autoConsent other than approve, deny or null is refused, not a silent denial", async () => {
  for (const autoConsent of [true, "yes", "Approve", 1]) {
    await assert.rejects(startSandbox({ autoConsent }), refused(/autoConsent must be "approve", "deny" or null/), String(autoConsent));
  }
});

test("cold58 finding 3: a log that is not a function, a misspelled or mistyped option are refused before any request", async () => {
  await assert.rejects(startSandbox({ log: true }), refused(/log must be a function/));
  await assert.rejects(startSandbox({ redirectUri: "http://127.0.0.1:9/cb" }), refused(/unknown option "redirectUri"/));
  await assert.rejects(startSandbox({ redirectUris: "http://127.0.0.1:9/cb" }), refused(/redirectUris must be a list of URLs/));
  await assert.rejects(startSandbox({ port: "80a" }), refused(/port must be a whole number from 0 to 65535/));
});

test("cold58 finding 3: a port in use rejects startSandbox, and the CLI says so in one line", async () => {
  const first = await startSandbox();
  try {
    const port = Number(new URL(first.url).port);
    await assert.rejects(startSandbox({ port }), (e) => e.code === "EADDRINUSE");
    const cli = fileURLToPath(new URL("../../www/sandbox/cli.mjs", import.meta.url));
    const run = spawnSync(process.execPath, [cli, "--port", String(port)], { encoding: "utf8", timeout: 20_000 });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`^partner-oauth-sandbox: port ${port} is in use`));
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  } finally {
    await first.close();
  }
});

test("cold58 finding 6: admin bodies the sandbox cannot act on answer 400 and change nothing", async () => {
  const sandbox = await startSandbox();
  const post = async (route, body) => {
    const response = await fetch(`${sandbox.url}/_sandbox/${route}`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };
  try {
    const before = (await post("clock", {})).body.now;
    for (const body of [{ advance: "1h" }, { advance: null }, { advance: Infinity }, { freeze: "yes" }, { advnce: 5 }, "not json", [1]]) {
      const answer = await post("clock", body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error, "invalid_request");
    }
    const after = await post("clock", { advance: 60 });
    assert.equal(after.status, 200);
    assert.ok(after.body.now >= before + 60 && after.body.now < before + 120, JSON.stringify(after.body));

    for (const body of [{ decision: "yes" }, { decision: true }, { choice: "approve" }]) {
      assert.equal((await post("consent", body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await post("consent", { decision: "approve" })).status, 200);

    const clientId = "billit-client";
    for (const body of [{ expires_in: 5, clientId }, { expiresIn: 5 }, { clientId: "nobody", expiresIn: 5 }, { clientId, expiresIn: "5" }]) {
      assert.equal((await post("switch", body)).status, 400, JSON.stringify(body));
    }
    assert.deepEqual((await post("switch", { clientId, expiresIn: 5 })).body, { expiresIn: 5 });
    assert.equal((await post("mode", { apiErrorStatus: "200" })).status, 400);
  } finally {
    await sandbox.close();
  }
});

// Cold review 58: `require("partner-oauth/sandbox")` failed with
// ERR_REQUIRE_ASYNC_MODULE (a top-level await that ran the CLI), where
// `require("partner-oauth")` works; CommonJS test runners meet it first.
test("cold58: the sandbox module loads with require, as the package's Node entry does", () => {
  const server = fileURLToPath(new URL("../../www/sandbox/server.mjs", import.meta.url));
  const run = spawnSync(process.execPath, ["-e", `const s = require(${JSON.stringify(server)}); if (typeof s.startSandbox !== "function") process.exit(3)`], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
});

// Newcomer 63: `npx partner-oauth-sandbox` killed outright (SIGKILL, a tool's
// timeout) left its node child running, holding the port, so the next start
// failed with "port in use". The CLI now stops when the process that started
// it is gone.
test("newcomer 63: the CLI stops, freeing its port, when the process that started it dies", async () => {
  const cli = fileURLToPath(new URL("../../www/sandbox/cli.mjs", import.meta.url));
  // A parent standing in for npx: starts the CLI, prints its first line, waits.
  const parentCode = `
    const { spawn } = require("node:child_process");
    const child = spawn(process.execPath, [${JSON.stringify(cli)}, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.once("data", (d) => process.stdout.write(String(child.pid) + " " + d.toString().match(/"sandbox": "([^"]+)"/)[1] + "\\n"));
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ["-e", parentCode], { stdio: ["ignore", "pipe", "inherit"] });
  const [childPid, url] = (await new Promise((resolve) => parent.stdout.once("data", resolve))).toString().trim().split(" ");
  assert.equal((await fetch(`${url}/.well-known/nothing`)).status > 0, true);
  parent.kill("SIGKILL");
  const alive = () => { try { process.kill(Number(childPid), 0); return true; } catch { return false; } };
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  const stillAlive = alive();
  if (stillAlive) process.kill(Number(childPid), "SIGKILL");
  assert.equal(stillAlive, false, "the orphaned sandbox still ran 10 s after its parent died");
});
