// verifyAccessToken with a JWKS URL: fetched once, cached, fetched again once
// when a token names a kid the cached set lacks (key rotation), at most once
// per 30 s (tests/pkg/security.test.mjs pins the cache's timing).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { oauth } from "./helpers.mjs";

const b64u = (bytes) => Buffer.from(bytes).toString("base64url");
let server, url, served = [], fetches = 0;

async function keyPair(kid) {
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const jwk = { ...(await crypto.subtle.exportKey("jwk", keys.publicKey)), kid };
  delete jwk.key_ops;
  delete jwk.ext;
  const sign = async (claims) => {
    const input = `${b64u(JSON.stringify({ alg: "ES256", kid }))}.${b64u(JSON.stringify(claims))}`;
    const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, new TextEncoder().encode(input));
    return `${input}.${b64u(signature)}`;
  };
  return { jwk, sign };
}

before(async () => {
  server = http.createServer((req, res) => {
    fetches++;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: served }));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${server.address().port}/jwks.json`;
});
after(() => server.close());

test("a JWKS URL is cached, and fetched again once for an unknown kid", async () => {
  const claims = { sub: "m2m", exp: Math.floor(Date.now() / 1000) + 600 };
  const first = await keyPair("2026-01");
  const second = await keyPair("2026-02");
  served = [first.jwk];
  const verify = (token) => oauth.verifyAccessToken(token, { jwks: url });

  assert.equal((await verify(await first.sign(claims))).sub, "m2m");
  assert.equal((await verify(await first.sign(claims))).sub, "m2m");
  assert.equal(fetches, 1, "the second token is checked against the cache");

  served = [first.jwk, second.jwk]; // the issuer rotates
  const realNow = Date.now;
  Date.now = () => realNow() + 31_000; // past the 30 s between fetches of one URL
  try {
    assert.equal((await verify(await second.sign(claims))).sub, "m2m");
    assert.equal(fetches, 2, "an unknown kid fetches the set again, once");

    const stranger = await keyPair("never-published");
    await assert.rejects(verify(await stranger.sign(claims)), (e) => e instanceof oauth.OAuthError && e.code === "key_not_found");
    assert.equal(fetches, 2, "a second unknown kid within 30 s fetches nothing");
  } finally {
    Date.now = realNow;
  }
});
