// One refresh at a time per connection, within one process (`createRefresher`), and the package's one single-flight,
// which io.js (JWKS fetches) and the Worker's connection object share. Lifecycle policy only: the tokens and every
// error come from the client (the wasm); this compares the refresh token it got with the one given, to know a rotation.
import { OAuthError } from "__OAUTH_ERROR__";

/** How long a rotated-away refresh token is remembered (ms). */
const KEEP = 600_000;

/**
 * The one single-flight of the package: `run()` once per `key` while its
 * promise is pending, every caller meanwhile sharing it; the entry goes
 * when it settles. (`run` starts in a microtask, after the entry is set.)
 */
export function singleFlight(inFlight, key, run) {
  let pending = inFlight.get(key);
  if (!pending) {
    pending = Promise.resolve().then(run).finally(() => {
      if (inFlight.get(key) === pending) inFlight.delete(key);
    });
    inFlight.set(key, pending);
  }
  return pending;
}

/**
 * One refresh at a time per connection (a client application and a key) in this process: a rotating provider revokes a
 * grant whose refresh token is used twice (RFC 9700 §4.14.2). `save(token, key, replaced)` stores the rotated token
 * before any racing caller sees it; one holding the token just rotated away gets the new one. Across processes:
 * partner-oauth/worker, or a store with a lock.
 */
export function createRefresher(options) {
  // Refused now, not after the provider rotated a token nobody could then store (review 70, F3).
  const save = options?.save;
  if ((options != null && typeof options !== "object") || (save !== undefined && typeof save !== "function")) {
    throw new OAuthError("invalid_argument", "createRefresher takes { save }, a function, or nothing");
  }
  const inFlight = new Map();
  /** The scopes each running refresh asked, by its promise. */
  const askedBy = new WeakMap();
  /** key → { at: its last rotation (ms), chains }, oldest rotation first. chains: each refresh token rotated away
   * (review 67: per token, so a caller holding one grant's never gets another grant's token) → { at: when,
   * entry: { to: its grant's newest token, from: the token the store holds, asked: to's scopes, owed: that save has not
   * landed, landed: when it did, seq: its rotations' order } }. A token is kept 10 minutes after its save landed (the
   * store holds it until then; review 70), past any request in flight then (timeoutMs ≤ 5 min; review 66, S1), and
   * while its save is owed (review 68); at most 16 grants per key, the least recently rotated forgotten first. */
  const rotated = new Map();
  let rotations = 0;

  /** Forgets `key`'s tokens rotated away over 10 minutes ago, except those whose save is owed. */
  function forget(key, now) {
    const { chains } = rotated.get(key) ?? {};
    for (const [token, { at, entry }] of chains ?? []) {
      if (!entry.owed && now - Math.max(at, entry.landed ?? 0) > KEEP) chains.delete(token);
    }
    if (chains?.size === 0) rotated.delete(key);
  }

  /** Saves a rotation, with what it replaces (a store keeps a newer grant's, review 65). A save that failed stays
   * owed until a caller holding the old token lands it: the store never keeps a rotated-away token (review 66). */
  function settle(entry, connection) {
    return singleFlight(inFlight, entry, async () => {
      if (entry.owed) await save(entry.to, connection, entry.from);
      entry.owed = false;
      entry.landed = Date.now();
      return entry.to;
    });
  }

  /** Records `given` rotated away to `entry`; every older token of its grant now leads there too. */
  function record(key, given, entry, now) {
    const { chains } = rotated.get(key) ?? { chains: new Map() };
    const before = [...chains.values()].find((link) => link.entry.to.refreshToken === given)?.entry;
    for (const link of chains.values()) if (link.entry === before) link.entry = entry;
    chains.set(given, { at: now, entry });
    // A provider may hand back a token it rotated away before: it is live again, not a link (review 68, F4).
    chains.delete(entry.to.refreshToken);
    entry.seq = ++rotations;
    const grants = new Set([...chains.values()].map((link) => link.entry));
    // Past 16 grants, the least recently rotated go first (not the one in use; review 70, F2), never one owed a save.
    const idle = [...grants].filter((grant) => !grant.owed && grant !== entry).sort((a, b) => a.seq - b.seq);
    for (let extra = grants.size - 16; extra > 0 && idle.length; extra--) {
      const gone = idle.shift();
      for (const [token, link] of chains) if (link.entry === gone) chains.delete(token);
    }
    rotated.delete(key);
    rotated.set(key, { at: now, chains });
  }

  return async function refresh(client, connection, token, options) {
    if (typeof connection !== "string") throw new OAuthError("invalid_argument", "a refresher's key must be a string");
    const now = Date.now();
    for (const [key, { at }] of rotated) {
      if (now - at <= KEEP) break;
      forget(key, now);
    }
    // Per client application (review 64), by value: clients made per request share it; async, so a freed one rejects.
    const key = JSON.stringify([client.provider, client.environment, client.clientId, connection]);
    forget(key, now);
    const given = typeof token === "string" ? token : token?.refreshToken;
    const scopes = options?.scopes;
    // What the client refuses before sending anything goes straight to it, for its OAuthError (review 70, F3).
    const texts = (list) => Array.isArray(list) && list.every((item) => typeof item === "string");
    if ((given != null && typeof given !== "string") || (scopes != null && !texts(scopes))) {
      return client.refresh(token, options);
    }
    const asked = JSON.stringify(scopes ?? null);
    const last = given == null ? undefined : rotated.get(key)?.chains.get(given)?.entry;
    if (last) {
      if (last.asked === asked) return last.owed ? settle(last, connection) : last.to;
      // Other scopes (review 66, S2): a refresh of their own, from the grant's newest token, once the store has it.
      if (last.owed) await settle(last, connection);
      return refresh(client, connection, last.to, options);
    }
    // Per refresh token too: another grant of this connection (a reconnect) never joins this one's (review 66).
    const flight = JSON.stringify([key, given ?? null]);
    const running = inFlight.get(flight);
    if (running && askedBy.get(running) !== asked) {
      // One refresh token is never sent twice at once: this caller's refresh follows, from what that one rotated to;
      // if it failed, so does this (the token's fate is unknown: review 68, F3).
      await running;
      return refresh(client, connection, token, options);
    }
    const joined = singleFlight(inFlight, flight, async () => {
      const fresh = await client.refresh(token, options);
      const entry = { to: fresh, from: token, asked, owed: Boolean(save) };
      // Only a rotation retires the old refresh token; without one it stays good.
      if (given != null && fresh.refreshToken !== given) record(key, given, entry, Date.now());
      if (save) await settle(entry, connection);
      return fresh;
    });
    askedBy.set(joined, asked);
    return joined;
  };
}
