// `npm run dev:node` (dev.mjs, Miniflare on Node 20) serves the starter with
// wrangler.toml's bindings and .dev.vars: a whole connect against the sandbox.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox } from "partner-oauth/sandbox";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ORIGIN = readFileSync(join(root, "wrangler.toml"), "utf8").match(/^ORIGIN = "([^"]+)"/m)[1];

let sandbox, dev, url;
before(async () => {
  sandbox = await startSandbox({ autoConsent: "approve", redirectUris: [`${ORIGIN}/connections/billit/callback`] });
  const vars = join(mkdtempSync(join(tmpdir(), "worker-app-")), ".dev.vars");
  // The shape of .dev.vars.example, filled.
  writeFileSync(vars, [
    "# filled as .dev.vars.example says",
    "STATE_KEY=a-state-key-of-at-least-32-bytes-for-tests",
    `TOKEN_KEYS="k1:${Buffer.alloc(32, 9).toString("base64url")}"`,
    `PROVIDERS=${JSON.stringify({ billit: sandbox.config().billit })}`,
  ].join("\n"));
  dev = spawn(process.execPath, [join(root, "dev.mjs")], { env: { ...process.env, PORT: "0", DEV_VARS: vars }, stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise((resolve, reject) => {
    let out = "";
    dev.stdout.on("data", (chunk) => {
      out += chunk;
      const found = out.match(/on (http:\/\/127\.0\.0\.1:\d+)/);
      if (found) resolve(found[1]);
    });
    dev.on("exit", (code) => reject(new Error(`dev.mjs exited (${code}): ${out}`)));
  });
});
after(async () => {
  if (dev && dev.exitCode === null) {
    const exited = new Promise((resolve) => dev.on("exit", resolve));
    dev.kill("SIGTERM");
    await exited;
  }
  await sandbox?.close();
});

test("dev.mjs: sign in, connect Billit through the sandbox, see it active", async () => {
  const cookies = new Map();
  const go = async (path, init = {}) => {
    const response = await fetch(new URL(path, url), {
      redirect: "manual", ...init,
      headers: { cookie: [...cookies.values()].join("; "), ...(init.method === "POST" && { origin: ORIGIN }), ...init.headers },
    });
    for (const line of response.headers.getSetCookie()) cookies.set(line.slice(0, line.indexOf("=")), line.split(";")[0]);
    return response;
  };
  assert.match(await (await go("/")).text(), /action="\/signin"/);
  await go("/signin", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "user=dana" });
  const start = await go("/connections/billit/connect", { method: "POST" });
  assert.equal(start.status, 303);
  const back = (await fetch(start.headers.get("location"), { redirect: "manual" })).headers.get("location");
  assert.ok(back.startsWith(`${ORIGIN}/connections/billit/callback?`), back);
  const done = await go(new URL(back).pathname + new URL(back).search);
  assert.equal(done.status, 303);
  assert.equal(done.headers.get("location"), "/");
  assert.match(await (await go("/")).text(), /data-provider="billit"><b>billit<\/b>: <span class="state">active</);
});
