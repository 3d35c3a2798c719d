// An owner's connections: one index object per owner lists the connections
// it holds, so a list or an account's deletion scans no other object. It
// lives in the connections' binding under a four-element name no connection
// key (three) can take, of a kind ("owner") no company index shares, and
// every RPC to it checks that the connection named is that owner's. Each
// connection writes its own entry through its outbox (worker-store.js), in
// order; a connect reserves a slot first, so labels chosen by the request
// cannot grow an owner's list past `maxConnections`.
import { OAuthError } from "__OAUTH_ERROR__";
import { isLive } from "./lifecycle.js";
import { OwnerStore } from "./worker-store.js";
import { unwrap, stubOf, parseKey } from "./worker-rpc.js";

const PREFIX = "partner-oauth:index";
const OPS = new Set(["reserve", "record", "list", "drop"]);

/** The owner index object's name. */
export function ownerIndexKey(owner) {
  return JSON.stringify([PREFIX, "owner", owner, ""]);
}

/** Is `parsed` (a JSON-parsed object name) an owner index's name? */
export function isOwnerIndexName(parsed) {
  return Array.isArray(parsed) && parsed.length === 4 && parsed[0] === PREFIX && parsed[1] === "owner"
    && typeof parsed[2] === "string" && parsed[2] !== "" && parsed[3] === "";
}

/** Runs `op` on the index object named `indexKey` (already checked to be this object's
 * name): each connection key it is given must be one of that owner's. */
export async function ownerIndexOp(storage, indexKey, op, args) {
  if (!OPS.has(op)) throw new OAuthError("invalid_argument", "no such owner index operation");
  const owner = JSON.parse(indexKey)[2];
  const store = new OwnerStore(storage);
  if (op === "list") return { entries: await store.entries() };
  const [key, entry = {}] = args;
  const parsed = parseKey(key, false);
  if (parsed.owner !== owner) throw new OAuthError("connection_not_found", "that connection is not this owner's");
  const { provider, label } = parsed;
  const now = Date.now();
  const entries = await store.entries();
  const held = entries.find((e) => e.key === key);
  // drop (disconnectAll: "no such connection"): as an end, so a flow whose
  // exchange is running keeps its slot until its reservation lapses (review 76).
  if (op === "record" || op === "drop") {
    const next = recorded(held, op === "record" && entry.live === true, now);
    return next ? store.put(key, { provider, label, ...next }) : store.remove(key);
  }
  // reserve: a slot for this key's flow; lapsed reservations go first, and a
  // key that holds a slot (listed, or reserved) keeps it, whatever the cap.
  const lapsed = entries.filter((e) => !holdsSlot(e, now)).map((e) => e.key);
  if (lapsed.length) await store.remove(...lapsed);
  const holding = held && holdsSlot(held, now);
  if (!holding && entries.length - lapsed.length >= entry.cap) {
    throw new OAuthError("too_many_connections", `this owner holds ${entry.cap} connections, the most allowed (maxConnections)`);
  }
  return store.put(key, { provider, label, ...reserved(holding ? held : undefined, entry.until) });
}

// An entry's slot: `live` while its connection lives (listed), `until` when
// the last connect's reservation for a flow lapses (ms, null: none). Either
// holds the slot: a flow of the key may land until then, whatever became of
// the connection (reviews 73, 75; one key's flows share one reservation).
// Stored before review 73: `{ until }` alone, null for a live connection.
const liveOf = (e) => e.live ?? e.until === null;

/** Does entry `e` hold a slot at `now`? */
export function holdsSlot(e, now) {
  return liveOf(e) || (e.until ?? 0) > now;
}

/** The slot after a connect's reservation until `until` (`held`: the key's entry, if it holds one). */
export function reserved(held, until) {
  return { live: held ? liveOf(held) : false, until: Math.max(held?.until ?? 0, until) };
}

/** The slot after the connection's event says it lives or has ended; null: none left. */
export function recorded(held, live, now) {
  const until = held?.until ?? null;
  if (live) return { live: true, until };
  return until !== null && until > now ? { live: false, until } : null;
}

const index = (namespace, owner) => {
  const name = ownerIndexKey(owner);
  return (op, ...args) => stubOf(namespace, name).index(name, op, ...args).then(unwrap);
};

/** A connection's outbox sinks and hooks (worker-store.js): the owner index
 * takes each event, and the log a record of it. */
export function withOwners(cfg, delivery) {
  const index = (event) => recordOwned(delivery.env()[cfg.binding], event);
  return { ...delivery, index, log: (types, who) => cfg.log.changed(delivery.env(), types, who) };
}

/** Before a connect leaves: a slot for connection `key` until `until` (ms), or too_many_connections. */
export async function reserve(namespace, owner, key, until, cap) {
  await index(namespace, owner)("reserve", key, { until, cap });
}

/** The outbox's third sink: an event's connection is listed while it lives, removed when it ends. */
export async function recordOwned(namespace, event) {
  // grant_orphaned is no transition: it changes nothing listed (review 80: its state could be older
  // than a connection that landed while the orphan was revoked).
  if (typeof event.owner !== "string" || event.owner === "" || event.type === "grant_orphaned") return;
  const key = JSON.stringify([event.owner, event.provider, event.label]);
  await index(namespace, event.owner)("record", key, { live: isLive(event.state ? event : null) });
}

/** `{ provider, label, state, nextRefreshAt, lastError, reconnect }` of each connection the
 * owner holds; reservations whose flow never finished are left out. */
export async function listOwned(namespace, owner, configured) {
  const { entries } = await index(namespace, owner)("list");
  const rows = await Promise.all(entries.filter((e) => configured.includes(e.provider)).map(async ({ key }) => {
    const result = await stubOf(namespace, key).status(key);
    if (result?.error?.code === "connection_not_found") return null;
    const { provider, label, state, nextRefreshAt, lastError, reconnect } = unwrap(result).status;
    // Ended, its entry not yet removed (the outbox delivers it soon): not listed.
    if (!isLive({ state })) return null;
    const error = lastError ? { code: lastError.code, at: lastError.at } : null;
    return { provider, label, state, nextRefreshAt, lastError: error, reconnect: reconnect ?? null };
  }));
  return rows.filter((row) => row !== null);
}

/** Ends every connection of the owner (an account's deletion): `{ disconnected, failed }`. */
export async function disconnectOwned(namespace, owner) {
  const call = index(namespace, owner);
  const { entries } = await call("list");
  let disconnected = 0;
  let failed = 0;
  for (const { key } of entries) {
    const result = await stubOf(namespace, key).disconnect(key);
    if (result?.error?.code === "connection_not_found") await call("drop", key);
    // Still live (a reconnect landed while it revoked): not disconnected; call it again (review 85).
    else if (result?.error || isLive(result?.status)) failed++;
    else disconnected++;
  }
  return { disconnected, failed };
}
