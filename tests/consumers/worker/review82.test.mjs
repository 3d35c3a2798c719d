// Review 82 (outside reviewer) on review 81's fix: the user's disconnect deleted the tokens (#end)
// before it revoked. An object reset while the revocation was outstanding (a deploy, an eviction:
// here a workerd restart with persisted storage) left the grant live at the provider with its tokens
// gone: a retried disconnect answered connection_not_found. Reuses review 80's fixture.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { Miniflare } from "miniflare";
import { startSandbox } from "partner-oauth/sandbox";
import { bundleFixture, bundledScript, sandboxBindings, tokenKey, consent, reviewKit } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist-review82");
const ORIGIN = "https://app.example.com";
const PROVIDERS = ["factorial", "billit"];
let sandbox, mf, options;

before(async () => {
  await bundleFixture(join(here, "src/review80.mjs"), dist, { out: "review80.mjs" });
  sandbox = await startSandbox({ redirectUris: PROVIDERS.map((p) => `${ORIGIN}/plain/${p}/callback`) });
  options = {
    ...bundledScript(dist, "review80.mjs"),
    durableObjects: { PLAIN: "PlainConnection" },
    durableObjectsPersist: mkdtempSync(join(tmpdir(), "review82-do-")),
    bindings: {
      ...sandboxBindings(sandbox, PROVIDERS), STATE_KEY: "review80-state-key-of-at-least-32-bytes!", TOKEN_KEYS: tokenKey("k1", 8),
      REVOKE_DELAY_MS: "2500", TIMEOUT_MS: "4000", STATE_MAX_AGE: "60",
    },
  };
  mf = new Miniflare(options);
  await mf.ready;
});
after(async () => {
  await mf?.dispose();
  await sandbox?.close();
});

const { sleep, call, as, post, works } = reviewKit(ORIGIN, () => mf, () => sandbox);
const stats = async () => (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()).factorial ?? {};
const accessTokens = async () => (await (await fetch(`${sandbox.url}/_sandbox/tokens`)).json()).access;

test("review82 A: an object reset during the disconnect's revocation leaves the grant live at the provider with its tokens deleted", async () => {
  const owner = `r82-${crypto.randomUUID()}`;
  const before = new Set(await accessTokens());
  const start = await call(`/plain/factorial/connect?label=x`, post(owner));
  assert.equal(start.status, 303);
  const cookie = start.headers.get("set-cookie").split(";")[0];
  const callback = await consent(start.headers.get("location"));
  assert.equal((await call(callback.replace(ORIGIN, ""), as(owner, { headers: { cookie } }))).status, 303);
  const [grant] = (await accessTokens()).filter((t) => !before.has(t));
  assert.ok(await works(grant), "the grant works before the disconnect");
  const revokesBefore = (await stats()).revoke ?? 0;

  const disconnecting = call(`/plain/factorial/disconnect?label=x`, post(owner)).then(
    async (r) => ({ status: r.status, body: await r.text() }), (e) => ({ error: String(e.message ?? e) }));
  await sleep(1000); // the tokens are deleted (#end); the revocation is still outstanding (2.5 s)
  await mf.setOptions(options); // the object is reset: a deploy, an eviction
  console.log("first disconnect:", JSON.stringify(await disconnecting));

  const st = await (await call(`/plain/factorial/status?label=x`, as(owner))).json();
  const retry = await call(`/plain/factorial/disconnect?label=x`, post(owner));
  const retryBody = await retry.text();
  await sleep(3000);
  const revokes = ((await stats()).revoke ?? 0) - revokesBefore;
  const alive = await works(grant);
  console.log("after the reset: status", JSON.stringify(st), "| retried disconnect:", retry.status, retryBody,
    "| revocations reaching the provider:", revokes, "| old grant still works:", alive);
  assert.equal(alive, false, "the grant is live at the provider, its tokens deleted: no disconnect can revoke it any more");
});
