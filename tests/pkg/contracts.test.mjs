// The JS layer throws only codes the Rust error declaration lists (the one
// source of ErrorCode; tests/contracts.rs checks index.d.ts and the README).
// Every `new OAuthError(` is read: its code must be a plain string literal
// (checked), or one of the few pass-throughs below that re-throw a code an
// OAuthError already carried. A code built at run time (a variable, a
// template, a ternary) fails here until it is made a literal or listed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { errorCodes } from "../../pkg/node.js";

const dir = new URL("../../pkg-template/", import.meta.url);
const sources = readdirSync(dir).filter((f) => f.endsWith(".js")).map((file) => [file, readFileSync(new URL(file, dir), "utf8")]);
const lineOf = (source, index) => source.slice(0, index).split("\n").length;

// file → the exact calls allowed a non-literal code, and where that code comes from.
const PASS_THROUGH = {
  "worker-rpc.js": { "new OAuthError(code, message, { status })": "unwrap(): the code of an OAuthError the Durable Object threw, sent over RPC as data" },
};

/** Every `new OAuthError(` (or `OAuthError(`) call: its literal code, or its first argument's text. */
function calls() {
  const found = [];
  for (const [file, source] of sources) {
    for (const match of source.matchAll(/\bOAuthError\(\s*/g)) {
      const rest = source.slice(match.index + match[0].length);
      const literal = /^(["'])([^"'\\\n]*)\1\s*[,)]/.exec(rest) ?? /^`([^`$\\]*)`\s*[,)]/.exec(rest);
      const call = source.slice(match.index - 4, match.index + match[0].length + rest.indexOf(")") + 1);
      found.push({ file, line: lineOf(source, match.index), code: literal ? literal[2] ?? literal[1] : null, call: call.replace(/^new /, "new ").trim() });
    }
  }
  return found;
}

test("every OAuthError code thrown by the JS layer is a declared code, and none is built at run time", () => {
  const declared = new Set(errorCodes());
  const all = calls();
  // Every call is accounted for: the ones counted here are all there are.
  const total = sources.reduce((n, [, source]) => n + (source.match(/\bOAuthError\(/g) ?? []).length, 0);
  assert.equal(all.length, total);
  assert.ok(all.length >= 40, `found only ${all.length} OAuthError calls in pkg-template/: the scan no longer reads them`);
  for (const { file, line, code, call } of all) {
    if (code !== null) {
      assert.ok(declared.has(code), `${file}:${line} throws undeclared "${code}"`);
      continue;
    }
    const allowed = Object.keys(PASS_THROUGH[file] ?? {}).find((text) => call.includes(text));
    assert.ok(allowed, `${file}:${line}: ${call} builds its code at run time; make it a literal, or list it in PASS_THROUGH with where the code comes from`);
  }
  // Each listed pass-through is still there (else the list hides nothing, and should shrink).
  for (const [file, texts] of Object.entries(PASS_THROUGH)) {
    for (const text of Object.keys(texts)) assert.ok(all.some((c) => c.file === file && c.call.includes(text)), `${file} no longer has ${text}`);
  }
});

test("every code the JS layer compares against or maps to a status is a declared code", () => {
  const declared = new Set(errorCodes());
  const named = [];
  // `x.code === "…"` / `!==`: a misspelt code silently never matches.
  for (const [file, source] of sources) {
    for (const m of source.matchAll(/(typeof\s+[\w?.]*)?\.code\s*[!=]==?\s*(["'])([^"']+)\2/g)) {
      if (!m[1]) named.push([file, lineOf(source, m.index), m[3]]);
    }
  }
  // The Worker's code → HTTP status table (its routes). Its API call keeps no
  // token-error list: a refused token is the core's OAuthError.refreshAndRetry.
  assert.ok(!readFileSync(new URL("worker-call.js", dir), "utf8").includes("TOKEN_ERRORS"), "worker-call.js keeps its own token-error list");
  for (const [file, name] of [["worker-routes.js", "HTTP_STATUS"]]) {
    const worker = readFileSync(new URL(file, dir), "utf8");
    const at = worker.indexOf(`const ${name} =`);
    assert.ok(at >= 0, `${file} has no ${name}`);
    const body = worker.slice(at, worker.indexOf(";", at));
    const codes = name === "HTTP_STATUS" ? [...body.matchAll(/(\w+):\s*\d{3}/g)].map((m) => m[1]) : [...body.matchAll(/"(\w+)"/g)].map((m) => m[1]);
    assert.ok(codes.length >= 3, `read only ${codes.length} codes from ${name}`);
    for (const code of codes) named.push([file, lineOf(worker, at), code]);
  }
  assert.ok(named.length >= 20, `found only ${named.length} named codes`);
  for (const [file, line, code] of named) assert.ok(declared.has(code), `${file}:${line} names undeclared "${code}"`);
});
