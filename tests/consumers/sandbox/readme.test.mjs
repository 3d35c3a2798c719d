// The README's "Test against the sandbox" example, extracted from README.md
// (not a copy) and run as a user's own node:test file would be, in a project
// that installed the tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
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
