// An OAuthError's provider fields cross from the wasm as strings plus a
// presence bit each (src/wasm/convert.rs): an absent field stays absent, an
// empty one is set to "", in both builds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as full from "../../pkg/node.js";
import * as page from "../../pkg/page/partner_oauth.js";

page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });

const redirectUri = "https://app.example.com/cb";

for (const [build, { OAuthClient }] of [["full", full], ["page", page]]) {
  test(`${build}: absent provider fields are absent, empty ones are ""`, () => {
    const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri });
    const { state, pending } = client.startAuthorization();
    const thrown = (url) => {
      try {
        client.parseCallback(url, pending);
      } catch (e) {
        return e;
      }
      assert.fail("no error");
    };
    const mismatch = thrown(`${redirectUri}?code=a&state=x${state}`);
    assert.equal(mismatch.code, "state_mismatch");
    for (const key of ["providerCode", "providerMessage", "bodyExcerpt", "status", "refreshAndRetry"]) {
      assert.equal(key in mismatch, false, key);
    }
    const empty = thrown(`${redirectUri}?error=&state=${state}`);
    assert.equal(empty.code, "authorization_error");
    assert.equal(empty.providerCode, "");
    assert.equal("providerMessage" in empty, false);
    const described = thrown(`${redirectUri}?error=access_denied&error_description=&state=${state}`);
    assert.deepEqual([described.providerCode, described.providerMessage], ["access_denied", ""]);
    // Every own field, in order: no `status` or `bodyExcerpt` (the page
    // build's errors have neither, src/core/error.rs).
    assert.deepEqual(Object.keys(mismatch), ["name", "code"]);
    assert.deepEqual(Object.keys(empty), ["name", "code", "providerCode"]);
    assert.deepEqual(Object.keys(described), ["name", "code", "providerCode", "providerMessage"]);
  });
}
