// Cold review 58, findings 2, 3 and 6: the sandbox is a test tool, so a
// misused option or admin body must fail loudly, never pass silently (a
// consent that denies, a clock that stops, a switch that does nothing) or
// take the test process down. Newcomer 63: the CLI outlives no parent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
// timeout) left the sandbox running, holding the port, so the next start
// failed with "port in use". npx runs it as npm → `sh -c` → node (cold try
// 69: the shell survives npm, so watching the parent alone never fired).
test("newcomer 63, cold 69: under npx, the CLI stops, freeing its port, when npm is killed outright", async () => {
  const cli = fileURLToPath(new URL("../../www/sandbox/cli.mjs", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "npx-"));
  // A stand-in for npm's npx-cli.js: runs the bin through `sh -c` as npm does, with npm's environment.
  writeFileSync(join(dir, "npx-cli.js"), `
    const { spawn } = require("node:child_process");
    const child = spawn("sh", ["-c", ${JSON.stringify(`"${process.execPath}" "${cli}" --port 0; true`)}],
      { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, npm_command: "exec" } });
    child.stdout.once("data", (d) => process.stdout.write(d.toString().match(/"sandbox": "([^"]+)"/)[1] + "\\n"));
    setInterval(() => {}, 1000);`);
  // Its own process group, so that whatever outlives it is killed after the test.
  const npx = spawn(process.execPath, [join(dir, "npx-cli.js")], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  try {
    const url = (await new Promise((resolve) => npx.stdout.once("data", resolve))).toString().trim();
    const listening = () => fetch(url).then(() => true, () => false);
    assert.equal(await listening(), true);
    npx.kill("SIGKILL");
    let open = true;
    for (let i = 0; i < 100 && (open = await listening()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(open, false, "the sandbox still held its port 10 s after npm died");
  } finally {
    try { process.kill(-npx.pid, "SIGKILL"); } catch {}
  }
});

test("cold 69: started directly (not by npx), the CLI outlives its parent, as under nohup", async () => {
  const cli = fileURLToPath(new URL("../../www/sandbox/cli.mjs", import.meta.url));
  const env = { ...process.env };
  delete env.npm_command;
  const parentCode = `
    const { spawn } = require("node:child_process");
    const child = spawn(process.execPath, [${JSON.stringify(cli)}, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"], detached: true });
    child.stdout.once("data", (d) => process.stdout.write(child.pid + " " + d.toString().match(/"sandbox": "([^"]+)"/)[1] + "\\n"));
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ["-e", parentCode], { stdio: ["ignore", "pipe", "inherit"], env });
  const [pid, url] = (await new Promise((resolve) => parent.stdout.once("data", resolve))).toString().trim().split(" ");
  parent.kill("SIGKILL");
  await new Promise((r) => setTimeout(r, 1500));
  try {
    assert.equal(await fetch(url).then(() => true, () => false), true, "it stopped with its parent");
  } finally {
    try { process.kill(-Number(pid), "SIGKILL"); } catch {}
  }
});

// Cold try 69: a Billit API refusal ({"errors":[{"Code":…}]}, no `error`)
// was logged as a bare "401", where every other refusal names its error.
test("cold 69: the log names an API refusal whatever the provider's body looks like", async () => {
  const lines = [];
  const sandbox = await startSandbox({ log: (line) => lines.push(line) });
  try {
    for (const [name, path] of [["billit", "/v1/orders"], ["factorial", "/api/2026-01-01/resources/core/me"]]) {
      const answer = await fetch(`${sandbox.url}/${name}${path}`, { headers: { authorization: "Bearer nope" } });
      assert.equal(answer.status, 401, name);
      await answer.arrayBuffer();
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.match(lines.find((l) => l.includes("/billit/")), /^GET \/billit\/v1\/orders 401 invalid_token: the access token is invalid$/);
    assert.match(lines.find((l) => l.includes("/factorial/")), / 401 invalid_token/);
  } finally {
    await sandbox.close();
  }
});
