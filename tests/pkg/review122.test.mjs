// Review 122 (outside reviewer on ex41's three code commits, 5492c7a..b851ec2, `git log -p 5492c7a..b851ec2 -- src`:
// 77e2c4e the start's state signed into its own Vec and copied three times, the pending seal's fields as
// Option<&[u8]> with the 0xFFFF refusal rewritten; c78bc5f the code-param lists (the override's and the preset's) read
// by one index loop; 614593b a whole-URL callback only validated by urls::parse, its query and fragment split from the
// text at the first `#` and the first `?` before it). No finding confirmed. Every hash below is 5492c7a's package's
// answer (both builds; the same random bytes and clock, fixed inside each child script), which b851ec2's equals. The
// scripts are in review122-scripts.mjs; REVIEW122_PKG=file:///…/pkg/ runs them on another package (5492c7a's passes too).
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";

const pkg = process.env.REVIEW122_PKG ?? new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review122-scripts.mjs", import.meta.url).href;
/** `call` (an expression using the scripts `s` and `pkg`) run in a child Node process. */
const run = childRunner(scripts, pkg);
const both = (fn, ...args) => Promise.all(["page-node.js", "node.js"].map((e) => run(`s.${fn}(pkg, ${JSON.stringify(e)}${args.map((a) => ", " + JSON.stringify(a)).join("")})`)));

// Held (c78bc5f): payout's preset names two code params (code, authorization_code), billit's one; 17 overrides each
// (none, [], one name, the two in either order, a name the preset lacks before one it has, duplicates, "", "Code",
// "co%64e", state, iss, error, 41 names) under the 16 subsets of {code, authorization_code, x, n39} with four code
// values, and four duplicate/empty-name queries: 2,312 callbacks a build. The override replaces the preset's list (an
// empty override finds no code; ["x"] ignores code), the first listed name present wins even when empty.
test("review122 (held): the code params' override replaces the preset's list, first name present wins, as 5492c7a's", async () => {
  const [page, full] = await both("codeParams");
  assert.equal(page.hash, "4d3156af45db0555");
  assert.equal(full.hash, "20c41be86df266e8");
  assert.deepEqual(page.kinds, { missing_code: 1280, ok: 692, invalid_callback: 340 });
  assert.deepEqual(full.table, page.table);
  const t = page.table;
  const M = "missing_code";
  // Subsets in mask order: bit 0 code=V, bit 1 authorization_code=AUTHORIZATION_CODE, bit 2 x=X, bit 3 n39=N39.
  assert.deepEqual(t["payout null"].slice(0, 8), [M, "V", "AUTHORIZATION_CODE", "V", M, "V", "AUTHORIZATION_CODE", "V"]);
  assert.deepEqual(t["billit null"].slice(0, 4), [M, "V", M, "V"]);
  assert.deepEqual(t[`billit ["state"]`], Array(16).fill("=state"));
  for (const p of ["payout", "billit"]) {
    assert.deepEqual(t[`${p} []`], Array(16).fill(M), "an empty override is not the preset's list");
    assert.deepEqual(t[`${p} ["x"]`].slice(0, 8), [M, M, M, M, "X", "X", "X", "X"], "the override is not added to the preset's");
    assert.deepEqual(t[`${p} ["authorization_code","code"]`].slice(0, 4), [M, "V", "AUTHORIZATION_CODE", "AUTHORIZATION_CODE"]);
    assert.deepEqual(t[`${p} ["x","code"]`].slice(0, 8), [M, "V", M, "V", "X", "X", "X", "X"]);
    assert.equal(t[`${p} ["n0","n1","n2","n3","n4","n5","n6","n7","n8","n9","n10","n11","n12","n13","n14","n15","n16","n17","n18","n19","n20","n21","n22","n23","n24","n25","n26","n27","n28","n29","n30","n31","n32","n33","n34","n35","n36","n37","n38","n39","x"]`][15], "N39");
  }
});

// Held (614593b): 51 fixed hostile callbacks (schemes in any case, userinfo holding `?` or `#`, IPv6 hosts with and
// without a port or path, `%3F`/`%23`, fragments holding `?`, `?#`, `#?`, `??`, empty queries, an unencoded iss in a
// URL, a path and a bare query, spaces, a backslash, NUL, é, ports 443 and 99999, other schemes, empty hosts) for a
// keyless client and an issuer client, then 20,000 seeded random whole URLs, paths and bare queries built from 17
// schemes, 13 userinfos, 17 hosts, 8 ports, 13 paths and queries/fragments joined by `&`, `&&`, `?`, `#`: every
// answer (code, state, payload, iss, flow id, or code, message and provider fields) as 5492c7a's, in both builds.
test("review122 (held): whole-URL callbacks with hostile shapes answer as 5492c7a's", async () => {
  const [[page, full], [fixedPage, fixedFull]] = await Promise.all([both("urls", 20000), both("urls", 0)]);
  // Re-pinned (coordinator, twenty-ninth session): a bare query holding an unencoded `iss=https://…` is read as a
  // query, no longer refused as not a URL (tests/callback.rs); 585 answers changed, each of that class alone.
  const kinds = { ok: 489, invalid_callback: 18309, state_mismatch: 486, missing_code: 104, issuer_mismatch: 518, authorization_error: 196 };
  assert.deepEqual(page, { n: 20102, hash: "ce947a034f0208f1", kinds });
  assert.deepEqual(full, page);
  assert.deepEqual(fixedFull, fixedPage);
  const F = "invalid_callback:the response arrived in the URL fragment; this library reads the query (response_mode=query)";
  const NONE = "invalid_callback:the callback carries no code, state or error parameter";
  const NOTURL = "invalid_callback:the callback is not a valid http(s) URL";
  const NOCODE = "missing_code:the callback carries neither a code nor an error";
  assert.deepEqual(fixedPage.slice(0, 51), [
    "ok C", "ok C", "ok C", F, F, NONE, NONE, NONE, "state_mismatch:the callback's state is not the one this flow sent", NOCODE,
    "ok C", NOCODE, F, "ok C", "ok C", "ok C", "ok C", "ok C", "ok C", F,
    NONE, NONE, NOCODE, F, F, "ok C", "ok C", "ok C", "ok C", "ok C",
    "ok C", F, F, F, F, "ok C", NOTURL, NOTURL, NOTURL, NOTURL,
    NOTURL, NOTURL, NOTURL, "ok C", NOTURL, NOTURL, NOTURL, NOTURL, NOTURL, NOTURL, NOTURL,
  ]);
  assert.equal(fixedPage.length, 102);
});

// Held (77e2c4e): starts with redirect URIs of 20 to 70,020 bytes (billit with PKCE, a custom preset without): the URL's
// state equals the answer's and the callback of each start opens it; the pending field bound is exact (65,534 bytes
// sealed, 65,535 refused "a pending field is too long"); then 300 back-to-back keyed starts alternating a 1,024-é
// payload with a token kind and scopes and nothing, and payloads of 0-2,049 bytes: the same URLs, states, pending
// values and flow ids as 5492c7a's (no previous flow's bytes carried).
test("review122 (held): the start's three state copies and the seal's 0xFFFF bound write what 5492c7a wrote", async () => {
  const [page, full] = await both("bounds");
  assert.equal(page.hash, "9cfd8628cc745fe6");
  assert.equal(full.hash, "1a48722fcb4cb16b");
  assert.equal(page.n, 351);
  assert.match(page.first[0], /^0 billit 130 true 129 ok \["C"/);
});
