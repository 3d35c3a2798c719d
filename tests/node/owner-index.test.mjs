// The owner index's slots (pkg-template/worker-owners.js), over an in-memory
// storage: review 73's cap bypasses, step by step and without races. In
// workerd: tests/consumers/worker/review73.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ownerIndexOp, ownerIndexKey } from "../../pkg/worker-owners.js";

const OWNER = "owner-1";
const INDEX = ownerIndexKey(OWNER);
const key = (label) => JSON.stringify([OWNER, "billit", label]);
const CAP = 3;

/** An index object: its storage, and its operations as the RPC runs them. */
function indexObject(data = new Map()) {
  const storage = () => ({
    list: async ({ prefix }) => new Map([...data].filter(([name]) => name.startsWith(prefix))),
    put: async (name, value) => void data.set(name, structuredClone(value)),
    delete: async (names) => names.forEach((name) => data.delete(name)),
  });
  const op = (name, ...args) => ownerIndexOp(storage, INDEX, name, args);
  return {
    data,
    reserve: (label, until = Date.now() + 600_000) => op("reserve", key(label), { until, cap: CAP }),
    record: (label, live) => op("record", key(label), { live }),
    labels: async () => (await op("list")).entries.map((e) => JSON.parse(e.key)[2]).sort(),
  };
}

async function atCap(index) {
  for (const label of ["a", "b", "c"]) {
    await index.reserve(label);
    await index.record(label, true);
  }
  await assert.rejects(index.reserve("d"), { code: "too_many_connections" });
}

test("review73 F1: a reconnect of a listed label holds its slot when the connection ends before the flow lands (superseded)", async () => {
  const index = indexObject();
  await atCap(index);
  await index.reserve("a"); // a reconnect's flow starts
  await index.record("a", false); // a is superseded: its connection ends, its flow stays
  await assert.rejects(index.reserve("d"), { code: "too_many_connections" }, "d took the slot a's flow still holds");
  await index.record("a", true); // the flow lands
  assert.deepEqual(await index.labels(), ["a", "b", "c"]);
});

test("review73 F2: a disconnect's record after a reconnect's reservation of the same label leaves the reservation", async () => {
  const index = indexObject();
  await atCap(index);
  await index.reserve("a");
  await index.record("a", false);
  assert.deepEqual(await index.labels(), ["a", "b", "c"], "a's slot is still held by its flow");
});

test("a first connect's reservation becomes its connection: once it ends, with no reconnect pending, its slot is free; a lapsed reservation frees it too", async () => {
  const index = indexObject();
  await atCap(index);
  await index.record("a", false);
  await index.reserve("d");
  assert.deepEqual(await index.labels(), ["b", "c", "d"]);
  const lapsed = indexObject();
  await atCap(lapsed);
  await lapsed.reserve("a", Date.now() + 20);
  await lapsed.record("a", false);
  await new Promise((resolve) => setTimeout(resolve, 30));
  await lapsed.reserve("d");
  assert.deepEqual(await lapsed.labels(), ["b", "c", "d"]);
});

test("an entry stored before review 73 ({ until: null }: a live connection) still counts and reads as live", async () => {
  const data = new Map([["owned:" + key("a"), { provider: "billit", label: "a", until: null }]]);
  const index = indexObject(data);
  await index.reserve("b");
  await index.record("b", true);
  await index.reserve("c");
  await assert.rejects(index.reserve("d"), { code: "too_many_connections" });
  await index.record("a", false);
  await index.reserve("d");
  assert.deepEqual(await index.labels(), ["b", "c", "d"]);
});

test("a reconnect's reservation outlives the events of the live connection (a refresh) and the connection's end, until it lapses", async () => {
  const index = indexObject();
  await atCap(index);
  await index.reserve("a", Date.now() + 40);
  await index.record("a", true); // a refresh of the live connection
  await index.record("a", false); // then it ends
  await assert.rejects(index.reserve("d"), { code: "too_many_connections" });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await index.reserve("d");
  assert.deepEqual(await index.labels(), ["b", "c", "d"]);
});
