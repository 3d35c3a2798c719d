// Review 132 (outside reviewer on helper pd50, 431b615..4cbd456: the page build's preset grants as a bit set
// (`Grants`, `Supported::bit`, `Preset::supports`, each provider's `grants(&[...])`), one out-of-line `preset::named`
// for environments and token kinds in the page (`pick_environment`, `token_kind`), the full build's own token-kind
// search behind a `cfg`). Differential runs of d6f1564's (/tmp/review128-old/pkg) and 4cbd456's packages, page
// (page-node.js, page.js's wasm) and full (node.js) builds, with the same random bytes (xorshift) and clock, gave
// identical answers everywhere; the values below are 4cbd456's, frozen. Confirmed nothing. The scripts are
// review132-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review132-scripts.mjs", import.meta.url).href;
const run = childRunner(scripts, pkg);
const runs = {
  grantsPage: run("s.grantMatrix(pkg, 'page-node.js')"),
  grantsFull: run("s.grantMatrix(pkg, 'node.js')"),
  kindsPage: run("s.kindMatrix(pkg, 'page-node.js')"),
  kindsFull: run("s.kindMatrix(pkg, 'node.js')"),
  fuzzPage: run("s.fuzz(pkg, 'page-node.js', 1324, 6000)"),
  fuzzFull: run("s.fuzz(pkg, 'node.js', 1325, 3000)"),
};

// Per preset, with no `grants` override and with each single name: the start's code, then (full build) the code
// request's, the refresh request's, and the exchanges' (code, refresh, client credentials, introspect, revoke). The
// presets' lists: payfit authorization_code (+ introspection), payout and tropipay the three grants, factorial and
// billit authorization_code and refresh_token (factorial + revocation), custom all five. `[]` refuses everything.
const GRANTS_FULL = {
  "payfit -": "ok ok unsupported_grant ok unsupported_grant unsupported_grant ok unsupported_grant",
  "payfit []": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "payfit authorization_code": "ok ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "payfit refresh_token": "unsupported_grant unsupported_grant ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant",
  "payfit client_credentials": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant ok unsupported_grant unsupported_grant",
  "payfit introspection": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant ok unsupported_grant",
  "payfit revocation": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant missing_endpoint",
  "payout -": "ok ok ok ok ok ok unsupported_grant unsupported_grant",
  "payout []": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "payout authorization_code": "ok ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "payout refresh_token": "unsupported_grant unsupported_grant ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant",
  "payout client_credentials": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant ok unsupported_grant unsupported_grant",
  "payout introspection": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant missing_endpoint unsupported_grant",
  "payout revocation": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant missing_endpoint",
  "factorial -": "ok ok ok ok ok unsupported_grant unsupported_grant ok",
  "factorial []": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "factorial authorization_code": "ok ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "factorial refresh_token": "unsupported_grant unsupported_grant ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant",
  "factorial client_credentials": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant ok unsupported_grant unsupported_grant",
  "factorial introspection": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant missing_endpoint unsupported_grant",
  "factorial revocation": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant ok",
  "tropipay -": "ok ok ok ok ok ok unsupported_grant unsupported_grant",
  "tropipay []": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "tropipay authorization_code": "ok ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "tropipay refresh_token": "unsupported_grant unsupported_grant ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant",
  "tropipay client_credentials": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant ok unsupported_grant unsupported_grant",
  "tropipay introspection": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant missing_endpoint unsupported_grant",
  "tropipay revocation": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant missing_endpoint",
  "billit -": "ok ok ok ok ok unsupported_grant unsupported_grant unsupported_grant",
  "billit []": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "billit authorization_code": "ok ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "billit refresh_token": "unsupported_grant unsupported_grant ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant",
  "billit client_credentials": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant ok unsupported_grant unsupported_grant",
  "billit introspection": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant missing_endpoint unsupported_grant",
  "billit revocation": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant missing_endpoint",
  "custom -": "ok ok ok ok ok ok ok ok",
  "custom []": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "custom authorization_code": "ok ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant unsupported_grant",
  "custom refresh_token": "unsupported_grant unsupported_grant ok unsupported_grant ok unsupported_grant unsupported_grant unsupported_grant",
  "custom client_credentials": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant ok unsupported_grant unsupported_grant",
  "custom introspection": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant ok unsupported_grant",
  "custom revocation": "unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant unsupported_grant ok",
};

// Held: 1,980 clients per build (6 presets; their environments, none, and other presets' or unknown names with a
// few overrides; `preset.grants` absent, each of the 32 subsets of the five names in order and reversed, duplicates
// (all five twice, 300 times refresh_token), unknown names, case variants, padded and NUL-suffixed names, non-strings
// and non-lists): the constructor, a start and, in the full build, code and refresh requests and the five exchanges
// over a recording fetch: codes, messages, URLs, pending values and request bodies identical to d6f1564's.
test("review132 (held): every preset and grants override starts as d6f1564's in the page build", async () => {
  const r = await runs.grantsPage;
  assert.equal(r.n, 1980);
  assert.equal(r.sha, "c2625a1c68fcbd99");
  assert.deepEqual(r.tally, {"ok": 1968, "unsupported_grant": 660, "invalid_config": 504, "unknown_environment": 162});
  // The page checks the authorization code grant alone: a start goes through exactly when it is listed.
  for (const [k, v] of Object.entries(GRANTS_FULL)) assert.equal(r.starts[k], v.split(" ")[0], k);
});

test("review132 (held): every preset and grants override's requests and exchanges are d6f1564's in the full build", async () => {
  const r = await runs.grantsFull;
  assert.equal(r.n, 1980);
  assert.equal(r.sha, "2d077733c297a8c6");
  assert.deepEqual(r.tally, {"ok": 5484, "unsupported_grant": 5335, "missing_endpoint": 1282, "invalid_config": 504, "unknown_environment": 162});
  assert.deepEqual(r.starts, GRANTS_FULL);
});

// Per accepted (preset, environment, tokenKind): the authorize URL's resource_owner_type and, after the pending
// value is carried to a full-build client (the page's too), the exchange's code and the token's expiresAt (null:
// never expires, Factorial's company kind). `null` is no tokenKind; every other name, case variant, environment's
// name and non-string is refused, as every environment given a token kind's name.
const RECORDED = {
  "payfit - -": [null, "ok", null],
  "payfit - null": [null, "ok", null],
  "payfit production -": [null, "ok", null],
  "payfit production null": [null, "ok", null],
  "payout - -": [null, "ok", 1765003600000],
  "payout - null": [null, "ok", 1765003600000],
  "payout production -": [null, "ok", 1765003600000],
  "payout production null": [null, "ok", 1765003600000],
  "payout sandbox -": [null, "ok", 1765003600000],
  "payout sandbox null": [null, "ok", 1765003600000],
  "payout production-id -": [null, "missing_endpoint", null],
  "payout production-id null": [null, "missing_endpoint", null],
  "payout sandbox-id -": [null, "missing_endpoint", null],
  "payout sandbox-id null": [null, "missing_endpoint", null],
  "factorial - -": ["company", "ok", null],
  "factorial - company": ["company", "ok", null],
  "factorial - user": [null, "ok", 1765003600000],
  "factorial - null": ["company", "ok", null],
  "factorial production -": ["company", "ok", null],
  "factorial production company": ["company", "ok", null],
  "factorial production user": [null, "ok", 1765003600000],
  "factorial production null": ["company", "ok", null],
  "factorial demo -": ["company", "ok", null],
  "factorial demo company": ["company", "ok", null],
  "factorial demo user": [null, "ok", 1765003600000],
  "factorial demo null": ["company", "ok", null],
  "tropipay - -": [null, "ok", 1765003600000],
  "tropipay - null": [null, "ok", 1765003600000],
  "tropipay production -": [null, "ok", 1765003600000],
  "tropipay production null": [null, "ok", 1765003600000],
  "tropipay sandbox -": [null, "ok", 1765003600000],
  "tropipay sandbox null": [null, "ok", 1765003600000],
  "billit - -": [null, "ok", 1765003600000],
  "billit - null": [null, "ok", 1765003600000],
  "billit production -": [null, "ok", 1765003600000],
  "billit production null": [null, "ok", 1765003600000],
  "billit sandbox -": [null, "ok", 1765003600000],
  "billit sandbox null": [null, "ok", 1765003600000],
  "custom - -": [null, "ok", null],
  "custom - null": [null, "ok", null],
  "custom default -": [null, "ok", null],
  "custom default null": [null, "ok", null],
};

// Held: 1,200 (preset, environment, tokenKind) starts per build (environments: each preset's, none, `company`,
// `user`, `Company`, empty, unknown; tokenKind: absent, company, user, case variants, empty, padded, NUL-suffixed,
// fullwidth, environments' names, prefixes and extensions, null, a number, a list, an object), each start's
// pending value's recorded fields, its callback, and a full-build client's code request and exchange on it.
test("review132 (held): tokenKind and environment names select as d6f1564's in the page build", async () => {
  const r = await runs.kindsPage;
  assert.equal(r.n, 1200);
  assert.equal(r.sha, "46faf5152b1db29a");
  assert.deepEqual(r.tally, {"ok": 492, "invalid_argument": 354, "invalid_config": 54, "unknown_environment": 750});
  assert.deepEqual(r.recorded, RECORDED);
});

test("review132 (held): tokenKind and environment names select as d6f1564's in the full build", async () => {
  const r = await runs.kindsFull;
  assert.equal(r.n, 1200);
  assert.equal(r.sha, "67ea960931eeeece");
  assert.deepEqual(r.tally, {"ok": 492, "invalid_argument": 354, "invalid_config": 54, "unknown_environment": 750});
  assert.deepEqual(r.recorded, RECORDED);
});

// Held: 6,000 (page) and 3,000 (full) fuzzed option sets (providers, environments, `preset.grants` subsets and
// random lists, pkce, responseType, authorizeParams, scopeSeparator, tokenKind, params, scopes) then a start (full:
// and its code and refresh requests): identical to d6f1564's, and to 400,000 more (seeds 31 to 34, 50,000 each, in
// both builds).
test("review132 (held): fuzzed grants and token kinds construct and start as d6f1564's", async () => {
  const r = await runs.fuzzPage;
  assert.equal(r.sha, "79b82e0e6efde1fa");
  assert.deepEqual(r.tally, {"ok": 959, "invalid_config": 1746, "unsupported_grant": 879, "unknown_environment": 852, "unknown_provider": 882, "invalid_argument": 479, "missing_endpoint": 118, "invalid_redirect_uri": 85});
  const f = await runs.fuzzFull;
  assert.equal(f.sha, "60b751b6c3f0a5d5");
  assert.deepEqual(f.tally, {"unsupported_grant": 435, "ok": 430, "invalid_config": 876, "unknown_environment": 464, "invalid_argument": 237, "unknown_provider": 441, "invalid_redirect_uri": 50, "missing_endpoint": 67});
});
