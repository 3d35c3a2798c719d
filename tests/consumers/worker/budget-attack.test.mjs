// Review of issue 30 (an outside attacker's view of the rate budget), in
// real workerd (Miniflare): raw RPCs to a budget object of the shipped
// Connection class (src/budget.mjs's /_test/rpc), no provider needed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Miniflare } from "miniflare";
import { bundleFixture, bundledScript, tokenKey } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist-budget-attack");
let mf;

before(async () => {
  await bundleFixture(join(here, "src/budget.mjs"), dist);
  mf = new Miniflare({
    ...bundledScript(dist),
    durableObjects: { CONNECTIONS: "Connection", FLAKY: "FlakyConnection" },
    bindings: { CLIENTS: "{}", ENDPOINTS: "{}", STATE_KEY: "worker-state-key-of-at-least-32-bytes!", TOKEN_KEYS: tokenKey("k1", 1) },
  });
});
after(async () => {
  await mf?.dispose();
});

const budgetName = (preset, clientId) => JSON.stringify(["partner-oauth:budget", "application", preset, clientId]);
const rpc = async (name, method, args) =>
  (await mf.dispatchFetch("https://worker.example.com/_test/rpc", { method: "POST", body: JSON.stringify({ name, method, args }) })).json();
const draw = (name, owner, maxWaitMs = 1000) => rpc(name, "budgetDraw", [name, { owner, kind: "reads", rate: 50, maxWaitMs, headroom: 0.9 }]);

test("maxWaitMs 0 refuses every call, even on an idle budget", async () => {
  // budget: { maxWaitMs: 0 } is accepted ("ms ≥ 0"): a call that need not wait must still go.
  const name = budgetName("payfit", "idle-app-0");
  const answer = await draw(name, "alice", 0);
  assert.equal(answer.value?.error, undefined, `an idle budget refused a call at maxWaitMs 0: ${JSON.stringify(answer)}`);
  assert.equal(typeof answer.value.waitedMs, "number");
});

test("one owner's 429 reported to a budget object that has not drawn yet stops every other owner", async () => {
  // The budget's state is memory only: after an eviction or a deploy, the first RPC a fresh
  // object gets may be the 429 report of a call that drew before. That tenant's 429 may slow
  // the others (FLOOR), never stop them: another owner's call is still granted within maxWaitMs.
  const name = budgetName("payfit", "fresh-app-429");
  const told = await rpc(name, "budgetTighten", [name, { owner: "mallory", kind: "reads", retryAfter: 0, limit: null }]);
  assert.equal(told.value?.error, undefined, JSON.stringify(told));
  const answer = await draw(name, "alice");
  assert.equal(answer.value?.error, undefined, `another owner was refused after mallory's 429: ${JSON.stringify(answer)}`);
});

test("a 429 report carrying the draw's rate tightens a fresh budget object from the preset's pace, not from 1 req/s", async () => {
  // What a connection sends (worker-budget.js #report): the rate and headroom of its draw. Half of 45/s is one
  // slot per 44 ms, well within maxWaitMs; 1 req/s halved would push the next slot 2 s out, past it.
  const name = budgetName("payfit", "fresh-app-429-rated");
  const report = { owner: "mallory", kind: "reads", retryAfter: 0, limit: null, rate: 50, headroom: 0.9 };
  const told = await rpc(name, "budgetTighten", [name, report]);
  assert.equal(told.value?.error, undefined, JSON.stringify(told));
  const answer = await draw(name, "alice");
  assert.equal(answer.value?.error, undefined, `another owner was refused after mallory's 429: ${JSON.stringify(answer)}`);
});
