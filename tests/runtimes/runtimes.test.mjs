// The grant suite (grants.mjs) on the packed tarball in Deno and Bun, each
// in a child running run.mjs against a fresh sandbox (the Billit case moves
// its clock), both at once; each case becomes one subtest here. The other
// runners: tests/consumers/node/ (Node) and tests/consumers/redirects/
// (workerd and Chromium, in the Miniflare and browser that file starts).
import { test, after } from "node:test";
import { spawn } from "node:child_process";
import { providers as presets } from "partner-oauth";
import { cases } from "./grants.mjs";
import { sandboxFor } from "./harness.mjs";
import { report } from "./runners.mjs";

const here = new URL(".", import.meta.url).pathname;
// Every preset the installed package lists: a new one reaches every runner
// without an edit here (grants.mjs then asks for its case).
const providers = presets().map(({ name }) => name);
const sandboxes = [];
after(() => Promise.all(sandboxes.map((s) => s.close())));

// Deno: only what the package needs (its Node entry reads the .wasm next to
// it; fetch to loopback), never a prompt. Bun: never an auto-install.
const runtimes = {
  deno: [`${here}node_modules/.bin/deno`, "run", "--no-prompt", "--allow-read", "--allow-net=127.0.0.1", "--allow-env=SANDBOX", "run.mjs"],
  bun: [`${here}node_modules/.bin/bun`, "--no-install", "run.mjs"],
};

/** Runs run.mjs in a child; each case's outcome read from its TAP line. */
async function child([command, ...args]) {
  const { sandbox, described } = await sandboxFor(providers);
  sandboxes.push(sandbox);
  const env = { ...process.env, SANDBOX: JSON.stringify(described), DENO_NO_UPDATE_CHECK: "1" };
  const { status, out } = await new Promise((resolve, reject) => {
    const proc = spawn(command, args, { cwd: here, timeout: 120_000, env });
    let out = "";
    proc.stdout.on("data", (d) => (out += d));
    proc.stderr.on("data", (d) => (out += d));
    proc.on("error", reject);
    proc.on("close", (status) => resolve({ status, out }));
  });
  const outcomes = cases.map((_, index) => {
    const line = new RegExp(`^(not )?ok ${index + 1} - `, "m").exec(out);
    if (!line) return `printed no result for this case (exit ${status}); its output ends:\n${out.split("\n").slice(-15).join("\n")}`;
    if (!line[1]) return "ok";
    const rest = out.slice(line.index).split("\n").slice(1);
    return rest.slice(0, rest.findIndex((l) => !l.startsWith("  # "))).join("\n");
  });
  return { version: out.match(/^# ((?:node|deno|bun) .+)$/m)?.[1] ?? "no version line", outcomes, status };
}

// Both at once; each test below awaits its own.
const runs = Object.fromEntries(Object.entries(runtimes).map(([name, command]) => [name, child(command)]));
for (const run of Object.values(runs)) run.catch(() => {});

for (const [runtime, run] of Object.entries(runs)) {
  test(runtime, async (t) => {
    const { version, outcomes, status } = await run;
    t.diagnostic(version);
    await report(t, runtime, outcomes);
    if (status !== 0) throw new Error(`${runtime} exited ${status ?? "on a signal (timed out?)"}`);
  });
}

/** A script's exit status and output (stdout and stderr). */
function script(command, args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, { cwd: here, timeout: 60_000, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" } });
    let out = "";
    proc.stdout.on("data", (d) => (out += d));
    proc.stderr.on("data", (d) => (out += d));
    proc.on("error", reject);
    proc.on("close", (status) => resolve({ status, out }));
  });
}

// partner-oauth/sandbox, which users' own tests start, in each runtime too.
const sandboxRuns = {
  deno: [`${here}node_modules/.bin/deno`, "run", "--no-prompt", "--allow-read", "--allow-net=127.0.0.1", "sandbox.mjs"],
  bun: [`${here}node_modules/.bin/bun`, "--no-install", "sandbox.mjs"],
};
for (const [runtime, [command, ...args]] of Object.entries(sandboxRuns)) {
  test(`${runtime}: partner-oauth/sandbox starts, answers and stops`, async () => {
    const { status, out } = await script(command, args);
    if (status !== 0 || !/^sandbox ok$/m.test(out)) throw new Error(`${runtime} exited ${status}: ${out.slice(-800)}`);
  });
}

// partner-oauth/page through its `node` entry, in each runtime (page-entry.mjs).
const pageRuns = {
  node: [process.execPath, "page-entry.mjs"],
  deno: [`${here}node_modules/.bin/deno`, "run", "--no-prompt", "--allow-read", "page-entry.mjs"],
  bun: [`${here}node_modules/.bin/bun`, "--no-install", "page-entry.mjs"],
};
for (const [runtime, [command, ...args]] of Object.entries(pageRuns)) {
  test(`${runtime}: partner-oauth/page starts and finishes a flow, one refused with another flow's pending value`, async () => {
    const { status, out } = await script(command, args);
    if (status !== 0 || !/^page ok$/m.test(out)) throw new Error(`${runtime} exited ${status}: ${out.slice(-800)}`);
  });
}
