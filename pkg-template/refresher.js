// One refresh at a time per connection, within one process (`createRefresher`), and the package's one single-flight,
// which io.js (JWKS fetches) and the Worker's connection object share. Lifecycle policy only: the tokens and every
// error come from the client (the wasm); this compares the refresh token it got with the one given, to know a rotation.
import { OAuthError } from "__OAUTH_ERROR__";

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
export function createRefresher({ save } = {}) {
  const inFlight = new Map();
  /** The scopes each running refresh asked, by its promise. */
  const askedBy = new WeakMap();
  /** key → { at: its last rotation (ms), chains: each refresh token rotated away (the newest 16) → { to: its grant's
   * newest token, from: the token the store holds under it, asked: to's scopes, owed: that save has not landed yet } },
   * oldest rotation first. Per token, so a caller holding one grant's rotated-away token never gets another grant's token
   * (review 67); kept 10 minutes, past any request in flight at the rotation (timeoutMs ≤ 5 min), not for the life of
   * the process (review 66, S1). */
  const rotated = new Map();

  /** Saves a rotation, with what it replaces (a store keeps a newer grant's, review 65). A save that failed stays
   * owed until a caller holding the old token lands it: the store never keeps a rotated-away token (review 66). */
  function settle(entry, connection) {
    return singleFlight(inFlight, entry, async () => {
      if (entry.owed) await save(entry.to, connection, entry.from);
      entry.owed = false;
      return entry.to;
    });
  }

  return async function refresh(client, connection, token, options) {
    if (typeof connection !== "string") throw new OAuthError("invalid_argument", "a refresher's key must be a string");
    const now = Date.now();
    for (const [key, { at }] of rotated) {
      if (now - at <= 600_000) break;
      rotated.delete(key);
    }
    // Per client application (review 64), by value: clients made per request share it; async, so a freed one rejects.
    const key = JSON.stringify([client.provider, client.environment, client.clientId, connection]);
    const given = typeof token === "string" ? token : token?.refreshToken;
    const asked = JSON.stringify(options?.scopes ?? null);
    const last = given == null ? undefined : rotated.get(key)?.chains.get(given);
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
      // One refresh token is never sent twice at once: this caller's refresh follows, from what that one rotated to.
      await running.catch(() => {});
      return refresh(client, connection, token, options);
    }
    const joined = singleFlight(inFlight, flight, async () => {
      const fresh = await client.refresh(token, options);
      const { chains } = rotated.get(key) ?? { chains: new Map() };
      const before = given == null ? undefined : [...chains.values()].find((entry) => entry.to.refreshToken === given);
      const entry = { to: fresh, from: token, asked, owed: Boolean(save) };
      // Only a rotation retires the old refresh token; without one it stays good.
      if (given != null && fresh.refreshToken !== given) {
        for (const [gone, was] of chains) if (was === before) chains.set(gone, entry);
        chains.set(given, entry);
        while (chains.size > 16) chains.delete(chains.keys().next().value);
        rotated.delete(key);
        rotated.set(key, { at: Date.now(), chains });
      }
      if (save) await settle(entry, connection);
      return fresh;
    });
    askedBy.set(joined, asked);
    return joined;
  };
}
