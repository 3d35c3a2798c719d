// Issue 25: no file of partner-oauth/worker runs over 400 lines at a
// 120-column print width. Measured by formatting a copy with prettier (the
// source keeps its own layout: a mass reformat would conflict with every
// branch that edits these files).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const require = createRequire(`${root}scripts/package.json`);
const prettier = require("prettier");

const MODULE = /^(worker.*|lifecycle.*|io|refresher|sealed)\.js$/;
const files = readdirSync(`${root}pkg-template`).filter((name) => MODULE.test(name));

test("every worker module file is at most 400 lines at a 120-column print width", async () => {
  assert.ok(files.includes("worker-connection.js") && files.includes("lifecycle.js"));
  const over = [];
  for (const name of files) {
    const formatted = await prettier.format(readFileSync(`${root}pkg-template/${name}`, "utf8"), { parser: "babel", printWidth: 120 });
    const lines = formatted.split("\n").length - 1;
    if (lines > 400) over.push(`${name}: ${lines}`);
    else console.log(`${name}: ${lines}`);
  }
  assert.deepEqual(over, []);
});
