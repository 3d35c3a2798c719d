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
  /** key → its chains: each refresh token rotated away (the newest 16) → { to: its grant's newest token, from: the
   * token the store holds under it, owed: that save has not landed yet }. Per token, so a caller holding one grant's
   * rotated-away token never gets another grant's token (review 67). */
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
    // Per client application (review 64), by value: clients made per request share it; async, so a freed one rejects.
    const key = JSON.stringify([client.provider, client.environment, client.clientId, connection]);
    const given = typeof token === "string" ? token : token?.refreshToken;
    const last = given == null ? undefined : rotated.get(key)?.get(given);
    if (last) return last.owed ? settle(last, connection) : last.to;
    // Per refresh token too: another grant of this connection (a reconnect) never joins this one's (review 66).
    return singleFlight(inFlight, JSON.stringify([key, given ?? null]), async () => {
      const fresh = await client.refresh(token, options);
      const chains = rotated.get(key) ?? new Map();
      const before = given == null ? undefined : [...chains.values()].find((entry) => entry.to.refreshToken === given);
      const entry = { to: fresh, from: token, owed: Boolean(save) };
      // Only a rotation retires the old refresh token; without one it stays good.
      if (given != null && fresh.refreshToken !== given) {
        for (const [gone, was] of chains) if (was === before) chains.set(gone, entry);
        chains.set(given, entry);
        while (chains.size > 16) chains.delete(chains.keys().next().value);
        rotated.set(key, chains);
      }
      if (save) await settle(entry, connection);
      return fresh;
    });
  };
}
