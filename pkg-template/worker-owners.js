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
  if (op === "drop") return store.remove(key);
  if (op === "record") return entry.live ? store.put(key, { provider, label, until: null }) : store.remove(key);
  // reserve: a slot until the flow expires, unless the key holds one already; expired reservations go first.
  const now = Date.now();
  const entries = await store.entries();
  const expired = entries.filter((e) => e.until !== null && e.until <= now).map((e) => e.key);
  if (expired.length) await store.remove(...expired);
  const held = entries.find((e) => e.key === key && !expired.includes(e.key));
  if (held?.until === null) return {};
  if (!held && entries.length - expired.length >= entry.cap) {
    throw new OAuthError("too_many_connections", `this owner holds ${entry.cap} connections, the most allowed (maxConnections)`);
  }
  return store.put(key, { provider, label, until: Math.max(held?.until ?? 0, entry.until) });
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
  if (typeof event.owner !== "string" || event.owner === "") return;
  const key = JSON.stringify([event.owner, event.provider, event.label]);
  // An event with no state (a grant orphaned before any connection) lists nothing.
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
    if (!result?.error) disconnected++;
    else if (result.error.code === "connection_not_found") await call("drop", key);
    else failed++;
  }
  return { disconnected, failed };
}
