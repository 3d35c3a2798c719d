// Review 73: the owner cap (maxConnections 3) attacked in workerd. The index's
// rules step by step: tests/node/owner-index.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Miniflare } from "miniflare";
import { startSandbox } from "partner-oauth/sandbox";
import { bundleFixture, bundledScript, sandboxBindings, tokenKey, consent, until } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist-review73");
const ORIGIN = "https://app.example.com";
const PROVIDERS = ["billit", "payfit"];
let sandbox, mf;

const mfOptions = (bindings = {}) => ({
  ...bundledScript(dist, "review73.mjs"),
  durableObjects: { PLAIN: "PlainConnection" },
  bindings: { ...sandboxBindings(sandbox, PROVIDERS), STATE_KEY: "review73-state-key-of-at-least-32-bytes!", TOKEN_KEYS: tokenKey("k1", 7), ...bindings },
});
before(async () => {
  await bundleFixture(join(here, "src/review73.mjs"), dist, { out: "review73.mjs" });
  sandbox = await startSandbox({ redirectUris: PROVIDERS.map((p) => `${ORIGIN}/plain/${p}/callback`) });
  mf = new Miniflare(mfOptions());
  await mf.ready;
});
after(async () => {
  await mf?.dispose();
  await sandbox?.close();
});

const call = (path, { method, headers, body } = {}) => mf.dispatchFetch(new URL("/_test/relay", ORIGIN), {
  method: "POST", redirect: "manual", body: JSON.stringify({ path, method, headers, body }),
});
const as = (user, init = {}) => ({ ...init, headers: { "x-test-user": user, ...init.headers } });
const post = (user) => as(user, { method: "POST", headers: { origin: ORIGIN } });
const q = (label) => (label ? `?label=${encodeURIComponent(label)}` : "");
const admin = (route, body) => fetch(`${sandbox.url}/_sandbox/${route}`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());
const payfitClient = () => JSON.parse(sandboxBindings(sandbox, ["payfit"]).CLIENTS).payfit.clientId;
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
const listed = async (owner) => (await call("/plain", as(owner))).json();
const index = async (owner) => (await mf.dispatchFetch(`${ORIGIN}/_test/index?owner=${encodeURIComponent(owner)}`)).json();

test("review73 F1: a reconnect's flow keeps its slot when its connection is superseded: a new label meanwhile is too_many_connections", async () => {
  const owner = random("f1");
  const client = payfitClient();
  try {
    await admin("switch", { clientId: client, companyId: "co_f1_x" });
    await connect(owner, "payfit", "a"); // a holds company co_f1_x
    await admin("switch", { clientId: client, reset: true });
    await connect(owner, "payfit", "b");
    await connect(owner, "payfit", "c");
    assert.equal((await call("/plain/payfit/connect?label=d", post(owner))).status, 409, "at the cap");
    // The reconnect of a: its label is listed; its flow holds the slot all the same.
    const pending = await begin(owner, "payfit", "a");
    // b reconnects to a's company: a is superseded (its flows are kept).
    await admin("switch", { clientId: client, companyId: "co_f1_x" });
    await connect(owner, "payfit", "b");
    await admin("switch", { clientId: client, reset: true });
    // Its record reached the index: a's entry gone (before the fix) or no longer live.
    const aEntry = async () => (await index(owner)).entries.find((e) => e.label === "a");
    await until(async () => (await aEntry())?.live !== true && (await aEntry())?.until !== null, "a's ending recorded");
    assert.equal((await call("/plain/payfit/connect?label=d", post(owner))).status, 409, "d took the slot a's flow holds");
    const done = await finish(owner, pending); // a's reconnect lands, in its own slot
    assert.equal(done.status, 303, await done.clone().text());
    await until(async () => (await listed(owner)).connections.length === 3, "a listed again");
    assert.deepEqual((await index(owner)).entries.map((e) => e.label).sort(), ["a", "b", "c"]);
  } finally {
    await admin("switch", { clientId: client, reset: true });
  }
});
