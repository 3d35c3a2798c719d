// Runs a review's scripts in a child Node process, so each call gets a fresh
// package (its own wasm instance, globals, and any builtins it replaces).
import { execFile } from "node:child_process";

/** A runner of `call` (an expression using the scripts module `s` and the
 * package URL `pkg`): its awaited value, the last line the child prints. */
export const childRunner = (scripts, pkg, flags = []) => (call) =>
  new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [...flags, "--input-type=module", "-e", `const s = await import(${JSON.stringify(scripts)}); const pkg = ${JSON.stringify(pkg)}; console.log(JSON.stringify(await ${call}));`],
      { maxBuffer: 1 << 26 },
      (error, out) => (error ? reject(error) : resolve(JSON.parse(out.trim().split("\n").pop()))),
    ),
  );
