// verifyAccessToken's options: every case of the frozen table gives the same
// outcome, code and message byte for byte, as the build before these
// options moved to options.js' reader (frozen/jwt-options-errors.json,
// written by 84c1ec2's package).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { verifyAccessToken } from "../../pkg/node.js";
import { cases, outcome, makeToken } from "./frozen/jwt-options-cases.mjs";

const frozen = JSON.parse(readFileSync(new URL("./frozen/jwt-options-errors.json", import.meta.url), "utf8"));

test("the frozen JWT options table covers every case and nothing else", () => {
  assert.deepEqual(cases.map(([name]) => name).sort(), Object.keys(frozen).sort());
});

test("verifyAccessToken's options read as the build before options.js read them", async () => {
  const token = await makeToken();
  for (const c of cases) assert.deepEqual(await outcome(verifyAccessToken, token, c), frozen[c[0]], c[0]);
});
