// Review 142 (outside reviewer on helper dd56: the page's five "must be a string" refusals, its code grant's and
// authorize endpoint's refusals as whole messages; page-only arms of `Client::require` and `Client::endpoint` that
// ignore their `what`/`name`). Differential of 45138d1's page build (before the session) and 16f2dcf's
// (page-node.js), same random bytes and clock: 15,899 answers (11,941 of them OAuthErrors, each compared by its
// class, name and every own property), identical, the values below 16f2dcf's, frozen. Covered: the constructor's
// options as 17 kinds of value (undefined, null, booleans, numbers, NaN, a bigint, a symbol, objects, arrays, a
// function, a boxed string, a Date, a null-prototype object); 11 provider names x 10 environments x 5 endpoint sets;
// every client option, endpoint and preset field missing or of every kind, for payout, tropipay and custom; every
// grants list of 7 names (the code grant in or out) per preset and environment, with and without endpoints, then a
// start; the start's options and each of their fields of every kind; the callback's URL and pending value and
// PKCE's verifier of every kind; a freed client. The page-only arms are reached from authorize.rs alone (the code
// grant, the authorize endpoint: request.rs and start_oracle.rs are not in the page build), so their fixed words
// are the ones asked for. The scripts are review142-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const run = childRunner(new URL("./review142-scripts.mjs", import.meta.url).href, pkg);

test("review142 (held): every page refusal is 45138d1's whole OAuthError", async () => {
  const r = await run("s.pageAll(pkg).then(({ n, errs, sha, out }) => ({ n, errs, sha, texts: [...new Set(JSON.stringify(out).match(/\"message\":\"[^\"]*(must be a string|does not support|no source documents)[^\"]*\"/g))].sort() }))");
  assert.equal(r.n, 15899);
  assert.equal(r.errs, 11941);
  assert.equal(r.sha, "93b356caa07e641c");
  for (const t of [
    "the callback URL must be a string", "the pending value must be a string", "the PKCE verifier must be a string",
    "payfit does not support the authorization code grant", "custom does not support the authorization code grant",
    "no source documents the authorize endpoint of custom (default): pass endpoints.authorize",
  ]) assert.ok(r.texts.includes(`"message":"${t}"`), t);
  // No page refusal names another grant or endpoint.
  assert.deepEqual(r.texts.filter((t) => /does not support (?!the authorization code grant)|documents the (?!authorize )/.test(t)), []);
});
