// Review 80 (outside reviewer): reproductions in real workerd. Each test asserts the
// correct behaviour and fails against the code under review.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Miniflare } from "miniflare";
import { startSandbox } from "partner-oauth/sandbox";
import { bundleFixture, bundledScript, sandboxBindings, tokenKey, consent, until, reviewKit } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist-review80");
const ORIGIN = "https://app.example.com";
const PROVIDERS = ["factorial", "billit"];
const REVOKE_DELAY_MS = 2500;
let sandbox, mf;

const mfOptions = (bindings = {}) => ({
  ...bundledScript(dist, "review80.mjs"),
  durableObjects: { PLAIN: "PlainConnection" },
  bindings: {
    ...sandboxBindings(sandbox, PROVIDERS), STATE_KEY: "review80-state-key-of-at-least-32-bytes!", TOKEN_KEYS: tokenKey("k1", 8),
    REVOKE_DELAY_MS: String(REVOKE_DELAY_MS), TIMEOUT_MS: "4000", STATE_MAX_AGE: "5", ...bindings,
  },
});
before(async () => {
  await bundleFixture(join(here, "src/review80.mjs"), dist, { out: "review80.mjs" });
  sandbox = await startSandbox({ redirectUris: PROVIDERS.map((p) => `${ORIGIN}/plain/${p}/callback`) });
  mf = new Miniflare(mfOptions());
  await mf.ready;
});
after(async () => {
  await mf?.dispose();
  await sandbox?.close();
});

const { sleep, call, as, post, admin, works } = reviewKit(ORIGIN, () => mf, () => sandbox);
const q = (label) => (label ? `?label=${encodeURIComponent(label)}` : "");
const random = (what) => `${what}-${crypto.randomUUID()}`;

async function begin(user, provider, label) {
  const start = await call(`/plain/${provider}/connect${q(label)}`, post(user));
  assert.equal(start.status, 303, await start.clone().text());
  const cookie = start.headers.get("set-cookie").split(";")[0];
  return { callback: await consent(start.headers.get("location")), cookie };
}
const finish = (user, { callback, cookie }) => call(callback.replace(ORIGIN, ""), as(user, { headers: { cookie } }));
async function connect(user, provider, label) {
  const done = await finish(user, await begin(user, provider, label));
  assert.equal(done.status, 303, await done.clone().text());
}
const status = async (user, provider, label) => (await call(`/plain/${provider}/status${q(label)}`, as(user))).json();
const index = async (owner) => (await mf.dispatchFetch(`${ORIGIN}/_test/index?owner=${encodeURIComponent(owner)}`)).json();
const fromCode = async (what, owner) => (await mf.dispatchFetch(`${ORIGIN}/_test/${what}?owner=${encodeURIComponent(owner)}`)).json();
/** Is `token` still good at the sandbox's Factorial API? */

test("review80 A: a refused consent's grant_orphaned carries the state from before its revocation: a connection that landed meanwhile loses its owner-index slot (cap passed, hidden from list and disconnectAll)", async () => {
  const owner = random("a80");
  await connect(owner, "billit", "b");
  await connect(owner, "billit", "c");
  // F1 for label a: consent given, its exchange slowed (1.5 s at the token endpoint).
  const f1 = await begin(owner, "factorial", "a");
  await admin("switch", { clientId: "factorial-client", delayMs: 1500 });
  const t1 = Date.now();
  const first = finish(owner, f1);
  await sleep(300);
  // The user's disconnect while F1 is exchanged: F1 is ended, its consent will be refused (review 76).
  const off = await call("/plain/factorial/disconnect?label=a", post(owner));
  assert.equal(off.status, 404);
  await admin("switch", { clientId: "factorial-client", reset: true });
  // A new flow of a, after the disconnect: the user reconnects.
  const f2 = await begin(owner, "factorial", "a");
  // F1's exchange has returned (refused, its grant being revoked: 2.5 s), F2 lands meanwhile.
  await sleep(Math.max(0, t1 + 1900 - Date.now()));
  const second = await finish(owner, f2);
  assert.equal(second.status, 303, await second.clone().text());
  const refused = await first;
  assert.match(await refused.text(), /connection_not_found/);
  assert.equal((await status(owner, "factorial", "a")).state, "active");
  await sleep(1500); // the outbox delivered grant_orphaned to the index
  const entryA = (await index(owner)).entries.find((e) => e.label === "a");
  console.log("index entry of a (its connection is active):", JSON.stringify(entryA));
  // Once a's reservation lapses (its flow's end + 2 x timeoutMs + 60 s), any connect sweeps the entry away.
  await sleep(Math.max(0, entryA.until - Date.now() + 1000));
  const d = await call("/plain/billit/connect?label=d", post(owner));
  const dAnswer = await d.clone().text();
  console.log("connect d at the cap of 3:", d.status, d.status === 303 ? "(a flow began)" : dAnswer);
  if (d.status === 303) {
    const cookie = d.headers.get("set-cookie").split(";")[0];
    const done = await finish(owner, { callback: await consent(d.headers.get("location")), cookie });
    console.log("d's callback:", done.status);
  }
  const live = [];
  for (const [p, l] of [["factorial", "a"], ["billit", "b"], ["billit", "c"], ["billit", "d"]]) if ((await status(owner, p, l)).state === "active") live.push(l);
  const listed = (await fromCode("list", owner)).map((c) => c.label).sort();
  console.log("active:", live.join(","), "| listed:", listed.join(","));
  const all = await fromCode("disconnectAll", owner);
  const afterAll = (await status(owner, "factorial", "a")).state;
  console.log("disconnectAll:", JSON.stringify(all), "| a afterwards:", afterAll);
  assert.equal(entryA?.live, true, "the owner index says a's active connection is not live");
  assert.equal(d.status, 409, "a fourth label connected past maxConnections 3");
  assert.deepEqual(listed, live.sort(), "an active connection is missing from the owner's list");
  assert.equal(afterAll, "disconnected", "disconnectAll (an account's deletion) left a connection active");
});

test("review80 B: a consent that lands while the user's disconnect revokes the old grant is ended by that disconnect without being revoked (its grant stays live at the provider, untold)", async () => {
  const owner = random("b80");
  await connect(owner, "factorial", "x");
  const before = new Set((await (await fetch(`${sandbox.url}/_sandbox/tokens`)).json()).access);
  // The user reconnects x (consent given) and, in another tab, disconnects x.
  const f2 = await begin(owner, "factorial", "x");
  const disconnecting = call("/plain/factorial/disconnect?label=x", post(owner)); // revoking the old grant: 2.5 s
  await sleep(500);
  // Refused since review 81's fix (a consent given before the disconnect never lands after it).
  const landed = await finish(owner, f2);
  console.log("the reconnect's callback during the disconnect:", landed.status);
  const off = await disconnecting;
  const answer = await off.json();
  console.log("disconnect answered:", off.status, JSON.stringify({ revoked: answer.revoked, state: answer.status?.state }));
  const issued = (await (await fetch(`${sandbox.url}/_sandbox/tokens`)).json()).access.filter((t) => !before.has(t));
  assert.ok(issued.length <= 1);
  const told = (await (await mf.dispatchFetch(`${ORIGIN}/_test/events`)).json()).filter((e) => e.owner === owner);
  console.log("events told for x:", told.map((e) => e.type).join(","));
  const orphaned = told.filter((e) => e.type === "grant_orphaned");
  const alive = issued.length > 0 && (await works(issued[0]));
  console.log("x's state:", (await status(owner, "factorial", "x")).state, "| the new grant's token still works at the provider:", alive, "| grant_orphaned told:", orphaned.length);
  assert.equal(alive, false, "the grant given during the disconnect is live at the provider; its tokens were deleted unrevoked");
});
