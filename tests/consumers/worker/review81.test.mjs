// Review 81 (outside reviewer) on review 80's fix B (a disconnect revoking again while consents
// landed during its revocation): B1, consents landing during each revocation held the user's
// disconnect (and disconnectAll, an account's deletion) open without bound, the connection active
// meanwhile; B2, two consents in one revocation left the first unrevoked under `revoked: true`.
// Reuses review 80's fixture (a provider whose revocation takes 2.5 s).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Miniflare } from "miniflare";
import { startSandbox } from "partner-oauth/sandbox";
import { bundleFixture, bundledScript, sandboxBindings, tokenKey, consent, reviewKit } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist-review81");
const ORIGIN = "https://app.example.com";
const PROVIDERS = ["factorial", "billit"];
const REVOKE_DELAY_MS = 2500;
const ROUNDS = Number(process.env.ROUNDS ?? 4);
let sandbox, mf;

before(async () => {
  await bundleFixture(join(here, "src/review80.mjs"), dist, { out: "review80.mjs" });
  sandbox = await startSandbox({ redirectUris: PROVIDERS.map((p) => `${ORIGIN}/plain/${p}/callback`) });
  mf = new Miniflare({
    ...bundledScript(dist, "review80.mjs"),
    durableObjects: { PLAIN: "PlainConnection" },
    bindings: {
      ...sandboxBindings(sandbox, PROVIDERS), STATE_KEY: "review80-state-key-of-at-least-32-bytes!", TOKEN_KEYS: tokenKey("k1", 8),
      REVOKE_DELAY_MS: String(REVOKE_DELAY_MS), TIMEOUT_MS: "4000", STATE_MAX_AGE: "60",
    },
  });
  await mf.ready;
});
after(async () => {
  await mf?.dispose();
  await sandbox?.close();
});

const { sleep, call, as, post, works } = reviewKit(ORIGIN, () => mf, () => sandbox);
const q = (label) => (label ? `?label=${encodeURIComponent(label)}` : "");
const stats = async () => (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()).factorial ?? {};
async function begin(user, provider, label) {
  const start = await call(`/plain/${provider}/connect${q(label)}`, post(user));
  assert.equal(start.status, 303, await start.clone().text());
  const cookie = start.headers.get("set-cookie").split(";")[0];
  return { callback: await consent(start.headers.get("location")), cookie };
}
const finish = (user, { callback, cookie }) => call(callback.replace(ORIGIN, ""), as(user, { headers: { cookie } }));
const status = async (user, provider, label) => (await call(`/plain/${provider}/status${q(label)}`, as(user))).json();

for (const via of ["disconnect", "disconnectAll"]) {
  test(`review81 B1 (${via}): consents landing during revokeEach's revocations hold it open without bound; the connection stays active`, async () => {
    const owner = `b81-${crypto.randomUUID()}`;
    const f0 = await begin(owner, "factorial", "x");
    assert.equal((await finish(owner, f0)).status, 303);
    const revokesBefore = (await stats()).revoke ?? 0;
    const t0 = Date.now();
    let doneAt = null;
    const disconnecting = (via === "disconnect"
      ? call("/plain/factorial/disconnect?label=x", post(owner)).then(async (r) => ({ status: r.status, body: await r.json() }))
      : mf.dispatchFetch(`${ORIGIN}/_test/disconnectAll?owner=${encodeURIComponent(owner)}`).then(async (r) => ({ status: r.status, body: await r.json() })))
      .then((r) => { doneAt = Date.now(); return r; });
    // Each round: a new flow, begun and consented while the disconnect is revoking, lands before that revocation answers.
    for (let i = 0; i < ROUNDS; i++) {
      await sleep(500);
      const landed = await finish(owner, await begin(owner, "factorial", "x"));
      const st = await status(owner, "factorial", "x");
      console.log(`round ${i} at +${Date.now() - t0} ms: callback ${landed.status}, x is ${st.state}, disconnect ${doneAt ? "done" : "still running"}`);
      await sleep(Math.max(0, (i + 1) * REVOKE_DELAY_MS - (Date.now() - t0) + 200)); // into the next revocation
    }
    const answer = await disconnecting;
    const took = doneAt - t0;
    const revokes = ((await stats()).revoke ?? 0) - revokesBefore;
    console.log(`${via} answered after ${took} ms (one revocation takes ${REVOKE_DELAY_MS} ms):`, JSON.stringify(answer.body), "| revocations sent:", revokes);
    assert.ok(took < 2 * REVOKE_DELAY_MS + 1000, `${via} was held open ${took} ms by ${ROUNDS} consents landed meanwhile (${revokes} revocations)`);
  });
}

const accessTokens = async () => (await (await fetch(`${sandbox.url}/_sandbox/tokens`)).json()).access;

test("review81 B2: two consents landing during one revocation of the user's disconnect: the first is ended unrevoked, its grant stays live, and the answer says revoked: true", async () => {
  const owner = `b82-${crypto.randomUUID()}`;
  const f0 = await begin(owner, "factorial", "x");
  assert.equal((await finish(owner, f0)).status, 303);
  const before = new Set(await accessTokens());
  // Two consents given (two tabs), not yet called back.
  const f1 = await begin(owner, "factorial", "x");
  const f2 = await begin(owner, "factorial", "x");
  const disconnecting = call("/plain/factorial/disconnect?label=x", post(owner)); // revoking the old grant: 2.5 s
  // Their callbacks while it revokes (each lands, or is refused as a consent given before the disconnect).
  await sleep(500);
  const first = await finish(owner, f1);
  await sleep(300);
  const second = await finish(owner, f2);
  console.log("callbacks during the disconnect:", first.status, second.status);
  const off = await disconnecting;
  const answer = await off.json();
  const issued = (await accessTokens()).filter((t) => !before.has(t));
  const alive = [];
  for (const t of issued) alive.push(await works(t));
  console.log("disconnect answered:", off.status, JSON.stringify({ revoked: answer.revoked, state: answer.status?.state }),
    "| grants consented during it:", issued.length, "| still working at the provider:", alive.filter(Boolean).length,
    "| x:", (await status(owner, "factorial", "x")).state);
  assert.equal((await status(owner, "factorial", "x")).state, "disconnected");
  assert.deepEqual(alive, issued.map(() => false), "a grant consented during the disconnect is live at the provider, its tokens deleted");
  assert.equal(answer.revoked, true);
});
