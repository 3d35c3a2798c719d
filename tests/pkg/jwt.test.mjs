// verifyAccessToken through Node's WebCrypto, every algorithm and key form
// (the same checks run in headless Chromium: tests/consumers/browser).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as oauth from "../../pkg/node.js";
import { everyAlgorithmVerifies, theChecksNameWhatFailed } from "../support/jwt.mjs";

test("every algorithm verifies, as a JWK, a JWK Set and PEM; a flipped bit is refused", () => everyAlgorithmVerifies(oauth));
test("each refusal names the check that failed", () => theChecksNameWhatFailed(oauth));

// Issue 18: `timeoutMs` has one meaning everywhere. A client refuses a value
// outside 1..300000; verifyAccessToken clamped it silently.
test("timeoutMs out of range is invalid_config for verifyAccessToken, as for a client", async () => {
  const jwk = { kty: "oct", k: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA", alg: "HS256" };
  for (const timeoutMs of [0, 300001]) {
    await assert.rejects(oauth.verifyAccessToken("a.b.c", { key: jwk, timeoutMs }), { code: "invalid_config" });
    assert.throws(() => new oauth.OAuthClient({ provider: "billit", clientId: "x", timeoutMs }), { code: "invalid_config" });
  }
});
