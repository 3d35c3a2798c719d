// Client and startAuthorization options: every case of the frozen table
// gives the same code and message, byte for byte, as the release before
// issue 26 (frozen/options-errors.json, written by that build), in the full
// and the page build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as page from "../../pkg/page/partner_oauth.js";
import { OAuthClient } from "../../pkg/node.js";
import { cases, outcome } from "./frozen/options-cases.mjs";

page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });
const frozen = JSON.parse(readFileSync(new URL("./frozen/options-errors.json", import.meta.url), "utf8"));

test("the frozen table covers every case and nothing else", () => {
  assert.deepEqual(cases.map(([name]) => name).sort(), Object.keys(frozen).sort());
});

for (const [build, Client] of [["full", OAuthClient], ["page", page.OAuthClient]]) {
  test(`options read as the release before issue 26 read them (${build} build)`, () => {
    for (const c of cases) assert.deepEqual(outcome(Client, c), frozen[c[0]], c[0]);
  });
}
