// Review 138 (outside reviewer on helpers st52 and cb52, merged 0155489 and e2cb93b, head 4a49601: the start's state
// written once into its output buffer and copied within it, `seal_fields`' page-only `within` and its unchecked
// `len as u16`, `is_scope_token` as printable ASCII less `"` and `\`, the page exports answering through `Result<()>`;
// base64url read whole with `=` refused by the flag test, one `read_pairs` call site for the query then the fragment,
// the page's provider fields cut without a control filter, the page's base64 entries base64url-only, `split_at` by
// `split_at_checked`). Differential runs of 4176818's (/tmp/rv138-old/pkg) and 4a49601's packages, page
// (page-node.js) and full (node.js) builds, with the same random bytes (xorshift) and clock, gave identical answers
// everywhere; the values below are 4a49601's, frozen (each equal to 4176818's same build). Confirmed nothing. The
// scripts are review138-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review138-scripts.mjs", import.meta.url).href;
const run = childRunner(scripts, pkg);
const runs = {
  allPage: run("s.summary(pkg, 'page-node.js')"),
  allFull: run("s.summary(pkg, 'node.js')"),
  randomPage: run("s.randomSummary(pkg, 'page-node.js', 1382, 3000)"),
  randomFull: run("s.randomSummary(pkg, 'node.js', 1382, 3000)"),
};

// Held: 14,680 answers per build. Starts with payloads of 2,040 to 2,052 bytes (ASCII, 2-, 3- and 4-byte characters:
// states up to 2,810 bytes, a byte past the limit refused), scopes of every byte alone and inside a token, non-ASCII,
// 100 and 101 scopes, extra parameters (the library's own names in any casing, controls, 5,000 bytes), redirect URIs
// up to 65,536 bytes; keyless and keyed (two keys), each accepted start parsed back. Callbacks on keyless and keyed
// flows with payloads of 0 to 2,048 bytes: the state's body and MAC and the pending value's body and seal with `=`
// inserted at every 40th position and as 1 to 4 padding symbols, `+` and `/` for each symbol, cut by 1 to 3, grown by
// 1 to 4, the last symbol's unused bits set, random symbols; forged pending values (unsealed, another state, no state,
// a 4,097-byte state, sealed under the client's second key); the parameters in the query, the fragment, both or
// neither, duplicates, controls, C1, U+2028, invalid UTF-8, U+FFFD, CALLBACK_MAX ± 1; provider `error` and
// `error_description` of 250 to 260 characters of 1- to 4-byte characters and U+2028 with the cut at every offset, and
// 5,000 and 3,000 characters. Identical to 4176818's per build; no THROW. The changed texts accepted are a keyless
// client's pending values with a symbol of their unsealed body changed (the verifier or the flow id: a keyless
// pending value is unsealed by design), as 4176818.
test("review138 (held): hostile starts and callbacks answer as 4176818's in both builds", async () => {
  const page = await runs.allPage, full = await runs.allFull;
  assert.equal(page.n, 14680);
  assert.equal(full.n, 14680);
  assert.equal(page.sha, "4d3dbda785c63827");
  assert.equal(full.sha, "c8a11f4dbe99c4a9");
  for (const r of [page, full]) {
    assert.equal(Object.keys(r.tally).filter((k) => k.endsWith(":THROW")).length, 0);
    assert.equal(r.tally["payload:ok"], 315);
    assert.equal(r.tally["scopes:invalid_argument"], 72);
  }
  assert.equal(page.tally.changedAccepted, 6);
  assert.equal(full.tally.changedAccepted, 8);
});

// Held: 3,000 random callbacks per build from hostile pieces (percent escapes of C0, C1, DEL, U+2028, invalid UTF-8,
// `=` `&` `#` `?` `+` `/`, multi-byte characters; states and pending values with `=`, `+`, `/` inserted, replaced or
// cut; descriptions of 250 to 261 multi-byte characters), 300 PKCE verifiers with random bytes, 300 random starts
// (scopes of random characters, payloads of 2,040 to 2,051 bytes, extra parameters): identical to 4176818's. By hand:
// n = 20,000 (24,000 answers) with seeds 1382 and 1384 in the page build and 1383 in the full build, identical.
test("review138 (held): random callbacks, verifiers and starts answer as 4176818's in both builds", async () => {
  assert.deepEqual([(await runs.randomPage).sha, (await runs.randomFull).sha], ["5a059cc2879124eb", "68690c5cae4ace54"]);
  for (const r of [await runs.randomPage, await runs.randomFull]) {
    assert.equal(r.n, 3600);
    assert.equal(r.tally["cb:THROW"], undefined);
  }
});
