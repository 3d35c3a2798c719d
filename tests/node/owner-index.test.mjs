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
    drop: (label) => op("drop", key(label)),
    labels: async () => (await op("list")).entries.map((e) => JSON.parse(e.key)[2]).sort(),
  };
}

/** Each label connected: reserved (until `until`), then live. */
async function connected(index, labels, until) {
  for (const label of labels) {
    await index.reserve(label, until);
    await index.record(label, true);
  }
}

async function atCap(index, until) {
  await connected(index, ["a", "b", "c"], until);
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

test("a connection that ends keeps its slot until its connect's reservation lapses, then frees it", async () => {
  const index = indexObject();
  await atCap(index, Date.now() + 40);
  await index.record("a", false);
  await assert.rejects(index.reserve("d"), { code: "too_many_connections" });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await index.reserve("d");
  assert.deepEqual(await index.labels(), ["b", "c", "d"]);
});

test("review75-1: two flows of one new label: the first lands, the connection ends (superseded, flows kept), the second still holds the slot", async () => {
  const index = indexObject();
  await connected(index, ["b", "c"]);
  await index.reserve("a"); // the first flow of a new label
  await index.reserve("a"); // a second flow of it
  await index.record("a", true); // the first lands
  await index.record("a", false); // superseded: the second flow is kept
  await assert.rejects(index.reserve("d"), { code: "too_many_connections" }, "d took the slot a's second flow holds");
  await index.record("a", true); // the second lands
  assert.deepEqual(await index.labels(), ["a", "b", "c"]);
});

test("review75-1c: repeated over five labels, the owner's list stays at the cap", async () => {
  const index = indexObject();
  await connected(index, ["b", "c"]);
  const refused = [];
  for (const label of ["a1", "a2", "a3", "a4", "a5"]) {
    try {
      await index.reserve(label);
      await index.reserve(label);
    } catch {
      refused.push(label);
      continue;
    }
    await index.record(label, true);
    await index.record(label, false);
  }
  for (const label of ["a1", "a2", "a3", "a4", "a5"]) if (!refused.includes(label)) await index.record(label, true);
  assert.ok((await index.labels()).length <= CAP, (await index.labels()).join(", "));
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
  await atCap(index, Date.now() + 20);
  await index.reserve("a", Date.now() + 40);
  await index.record("a", true); // a refresh of the live connection
  await index.record("a", false); // then it ends
  await assert.rejects(index.reserve("d"), { code: "too_many_connections" });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await index.reserve("d");
  assert.deepEqual(await index.labels(), ["b", "c", "d"]);
});

test("review76-1: disconnectAll's drop of a key whose flow is mid-exchange keeps that flow's slot until its reservation lapses", async () => {
  const index = indexObject();
  await connected(index, ["b", "c"]);
  await index.reserve("a"); // a's flow: its callback's exchange is running
  await index.drop("a"); // disconnectAll: "no such connection" yet
  await assert.rejects(index.reserve("d"), { code: "too_many_connections" }, "d took the slot a's exchange holds");
  await index.record("a", true); // the exchange lands
  assert.deepEqual(await index.labels(), ["a", "b", "c"]);
  // A reservation already lapsed is dropped at once.
  const lapsed = indexObject();
  await lapsed.reserve("x", Date.now() + 10);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await lapsed.drop("x");
  assert.deepEqual(await lapsed.labels(), []);
});
