// Finding 9 over real sockets: a token endpoint that answers 307 must not get
// the body (secret, code, verifier) re-sent to where it points.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { oauth } from "./helpers.mjs";

let endpoint, elsewhere, seen = [];
const listen = (server) => new Promise((r) => server.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${server.address().port}`)));

before(async () => {
  const thief = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk)).on("end", () => {
      seen.push({ url: req.url, body, authorization: req.headers.authorization });
      res.writeHead(200, { "content-type": "application/json" }).end('{"access_token":"x","token_type":"Bearer"}');
    });
  });
  elsewhere = { server: thief, url: await listen(thief) };
  const as = http.createServer((req, res) => {
    req.resume();
    res.writeHead(307, { location: `${elsewhere.url}/collect` }).end();
  });
  endpoint = { server: as, url: await listen(as) };
});
after(() => { endpoint.server.close(); elsewhere.server.close(); });

test("finding 9: a 307 from the token endpoint re-sends nothing, over real sockets", async () => {
  const c = new oauth.OAuthClient({
    provider: "custom", clientId: "cid", clientSecret: "the-secret", redirectUri: "http://127.0.0.1:9/cb",
    endpoints: { authorize: `${endpoint.url}/authorize`, token: `${endpoint.url}/token`, api: `${endpoint.url}/api` },
  });
  await assert.rejects(c.refresh("the-refresh-token"), (e) => e.code === "unexpected_redirect");
  await assert.rejects(c.clientCredentials(), (e) => e.code === "unexpected_redirect");
  const response = await c.fetchApi("the-access-token", "/me");
  assert.equal(response.status, 307);
  assert.deepEqual(seen, [], "the redirect's target received nothing");
});
