// Review 101 (outside reviewer on 1b2cde5: the app's log sink called through one promise chain, Store's #log).
// Every commit with events and every tell() now appends its records to #logged, and a commit that is not deferred
// awaits the chain, that is the sink's calls for every earlier record of the object, not only its own. Over an
// in-memory storage, as tests/node/worker-store.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Store } from "../../pkg-template/worker-store.js";

function memoryStorage() {
  const map = new Map();
  const storage = {
    map, alarm: null,
    async get(key) {
      if (Array.isArray(key)) return new Map(key.filter((k) => map.has(k)).map((k) => [k, map.get(k)]));
      return map.get(key);
    },
    async list({ prefix }) {
      return new Map([...map].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1)));
    },
    async put(key, value) {
      if (typeof key === "object") for (const [k, v] of Object.entries(key)) map.set(k, v);
      else map.set(key, value);
    },
    async delete(key) { map.delete(key); },
    async setAlarm(at) { storage.alarm = at; },
    async getAlarm() { return storage.alarm; },
    async deleteAlarm() { storage.alarm = null; },
  };
  return storage;
}
const CONN = { provider: "p", label: "", owner: "o", state: "active", rewrapAt: null };
const change = (type, conn = CONN) => ({ record: { conn, flows: {} }, changed: { conn: true, flows: false, tokens: null, alarm: false }, events: [type] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** "settled" or "pending" after `ms`. */
const within = (promise, ms) => Promise.race([promise.then(() => "settled", () => "settled"), sleep(ms).then(() => "pending")]);
const storeOf = (log, told = [], storage = memoryStorage()) => new Store(() => storage, "id", {
  onEvent: async (event) => { told.push(event.type); }, index: async () => {}, queue: null, env: () => ({}), object: null, log,
}, { outboxRetry: 5 });

// B: a log sink that calls back into the connection it logs (through env: `sink(record, env)`, the README's "reach
// a Queue or another binding through env"; here told `connected`, it disconnects the owner's connection, as
// review 90's onEvent does). The disconnect's own commit (`disconnected`, not deferred) awaits the chain, which
// waits for the sink's call on `connected`, which awaits the disconnect: neither ever answers, the consent's
// callback never answers, `disconnected` is never told (its flush and alarm come after the log), and every later
// commit with events and every tell() of the object waits behind them for as long as the object lives. Before
// 1b2cde5 each commit awaited only its own records: the disconnect answered, then the consent.
test("review101 B: a log sink that disconnects the connection it is logging does not deadlock the object", async () => {
  const told = [];
  let store, inner = null;
  const log = async (types) => {
    if (types.includes("connected")) {
      inner = store.apply(change("disconnected", { ...CONN, state: "disconnected" }));
      await inner;
    }
  };
  store = storeOf(log, told);
  await store.load();
  const consent = store.apply(change("connected"));
  const answers = { consent: await within(consent, 1000), disconnect: inner ? await within(inner, 0) : "never sent" };
  const later = { disconnect: await within(store.apply(change("disconnected", { ...CONN, state: "disconnected" })), 500) };
  console.log(JSON.stringify({ answers, later, told }));
  assert.deepEqual({ ...answers, ...{ later: later.disconnect }, told: told.includes("disconnected") },
    { consent: "settled", disconnect: "settled", later: "settled", told: true });
});

// C: a commit that logs nothing waits behind a deferred commit's slow record. At the default level (warn), a
// refresh's `backoff`/`refresh_failed`/`exhausted` records go to the sink, and a consent's `connected`, a
// disconnect's `disconnected` do not (info; Log.write returns at once). 1b2cde5 stopped the refresh's deferred
// commit from waiting for its record, but the next commit of the object that is not deferred (the user's
// reconnect after a failed refresh, a disconnect) now waits for that record's sink before it answers and before
// its events are told: a log shipper's 60 s timeout holds the user's callback 60 s; a sink that never settles
// (a fetch with no timeout) holds every later answer of the object for as long as it lives. Before 1b2cde5 the
// refresh's commit waited for its own record (holding the refresh slot) and the consent's answered at once.
test("review101 C: a commit whose records the log filters out does not wait for an earlier deferred commit's slow record", async () => {
  const told = [];
  // The default level: only trouble reaches the app's sink, which is slow on it (never settles here).
  const log = async (types) => { if (types.some((t) => ["backoff", "refresh_failed", "exhausted"].includes(t))) await new Promise(() => {}); };
  const store = storeOf(log, told);
  await store.load();
  // A refresh's commit in its slot (deferred), then its slot released.
  store.apply(change("backoff", { ...CONN, state: "backoff" }), null, null, true);
  await sleep(50);
  await store.release();
  const consent = store.apply(change("connected"));
  const answer = await within(consent, 1000);
  console.log(JSON.stringify({ answer, told }));
  assert.deepEqual({ answer, connectedTold: told.includes("connected") }, { answer: "settled", connectedTold: true });
});
