// The grant table (grants.mjs) in Node, Deno and Bun, each resolving the
// installed tarball itself. The sandbox runs here, in Node (a fresh one per
// runtime, as the Billit case moves its clock); the child gets its URLs and
// clients in $SANDBOX and prints TAP, turned here into one subtest per case.
import { test } from "node:test";
import { spawn } from "node:child_process";
import { startSandbox, sandboxClients } from "../../www/sandbox/server.mjs";
import { cases } from "./grants.mjs";
import { providers as presets } from "partner-oauth";

const here = new URL(".", import.meta.url).pathname;
const redirectUri = "http://127.0.0.1:9/oauth/callback";
// Every preset the installed package lists: a new one reaches the child
// without an edit here (grants.mjs then asks for its case).
const providers = presets().map(({ name }) => name);

// Deno: only what the package needs (its Node entry reads the .wasm next to
// it; fetch to loopback), never a prompt. Bun: never an auto-install.
const runtimes = {
  node: [process.execPath, "run.mjs"],
  deno: [`${here}node_modules/.bin/deno`, "run", "--no-prompt", "--allow-read", "--allow-net=127.0.0.1", "--allow-env=SANDBOX", "run.mjs"],
  bun: [`${here}node_modules/.bin/bun`, "--no-install", "run.mjs"],
};

function describe(sandbox) {
  const entries = providers.map((name) => [name, {
    endpoints: Object.fromEntries(Object.entries(sandbox.endpoints(name)).filter(([, v]) => v)),
    clients: sandboxClients(name), issuer: sandbox.issuer(name), jwksUrl: sandbox.jwksUrl(name),
  }]);
  return JSON.stringify({ url: sandbox.url, redirectUri, providers: Object.fromEntries(entries) });
}

function run([command, ...args], env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: here, timeout: 120_000, env: { ...process.env, ...env, DENO_NO_UPDATE_CHECK: "1" } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, out }));
  });
}

for (const [runtime, command] of Object.entries(runtimes)) {
  test(runtime, async (t) => {
    const sandbox = await startSandbox({ redirectUris: [redirectUri] });
    let result;
    try {
      result = await run(command, { SANDBOX: describe(sandbox) });
    } finally {
      await sandbox.close();
    }
    const version = result.out.match(/^# ((?:node|deno|bun) .+)$/m)?.[1];
    t.diagnostic(version ?? "no version line");
    for (const [index, [name]] of cases.entries()) {
      await t.test(name, () => {
        const line = new RegExp(`^(not )?ok ${index + 1} - `, "m").exec(result.out);
        if (!line) throw new Error(`${runtime} printed no result for this case (exit ${result.status}); its output ends:\n${result.out.split("\n").slice(-15).join("\n")}`);
        if (line[1]) {
          const rest = result.out.slice(line.index).split("\n").slice(1);
          const detail = rest.slice(0, rest.findIndex((l) => !l.startsWith("  # "))).join("\n");
          throw new Error(`${runtime} failed it:\n${detail}`);
        }
      });
    }
    if (result.status !== 0) throw new Error(`${runtime} exited ${result.status ?? "on a signal (timed out?)"}: ${result.out.split("\n").slice(-3).join("\n")}`);
  });
}
