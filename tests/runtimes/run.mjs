// The grant suite's runner for Deno and Bun (run as a child by
// runtimes.test.mjs): the sandbox described in $SANDBOX (JSON), one TAP line
// per case. Exits 1 if any case failed.
import * as oauth from "partner-oauth";
import * as a from "./assert.mjs";
import { cases, context } from "./grants.mjs";

const runtime = globalThis.Deno ? `deno ${Deno.version.deno}` : globalThis.Bun ? `bun ${Bun.version}` : `node ${process.versions.node}`;
const env = (name) => (globalThis.Deno ? Deno.env.get(name) : process.env[name]);
const sandbox = JSON.parse(env("SANDBOX") ?? "null");
if (!sandbox) throw new Error("SANDBOX is not set: run tests/runtimes/runtimes.test.mjs");

console.log(`# ${runtime}, partner-oauth from ${import.meta.resolve("partner-oauth").replace(/^.*node_modules\//, "")}`);
console.log(`1..${cases.length}`);
let failed = 0;
for (const [index, [name, run]] of cases.entries()) {
  try {
    await run(context({ oauth, sandbox, a }));
    console.log(`ok ${index + 1} - ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok ${index + 1} - ${name}`);
    for (const line of String(error?.stack ?? error).split("\n")) console.log(`  # ${line}`);
  }
}
if (failed) {
  console.log(`# ${failed} of ${cases.length} failed`);
  if (globalThis.Deno) Deno.exit(1);
  else process.exit(1);
}
