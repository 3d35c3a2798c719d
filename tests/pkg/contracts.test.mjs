// The JS layer throws only codes the Rust error declaration lists (the one
// source of ErrorCode; tests/contracts.rs checks index.d.ts and the README).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { errorCodes } from "../../pkg/node.js";

const dir = new URL("../../pkg-template/", import.meta.url);

test("every OAuthError code thrown by the JS layer is a declared code", () => {
  const declared = new Set(errorCodes());
  const thrown = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    const source = readFileSync(new URL(file, dir), "utf8");
    for (const [, code] of source.matchAll(/OAuthError\(\s*"([a-z_]+)"/g)) thrown.set(code, file);
  }
  assert.ok(thrown.size >= 10, `found only ${thrown.size} codes: the pattern no longer matches`);
  for (const [code, file] of thrown) assert.ok(declared.has(code), `${file} throws undeclared "${code}"`);
});
