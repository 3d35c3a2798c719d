// The key re-wrap of one connection, as its Durable Object runs it from the
// alarm: the sealed tokens re-sealed under TOKEN_KEYS' first key, so an older
// key can be retired (README, "Rotating token keys"). lifecycle.js decides
// what is written and when the next re-wrap is due; `port` is what the
// re-wrap needs of the object (worker-connection.js, #rewrapPort).
import { reseal } from "./sealed.js";

/** Re-seals the tokens under the first key. Tokens no listed key opens are left exactly as they are. */
export async function rewrapOnce(port) {
  const writes = port.writes();
  // TOKEN_KEYS that do not parse: the tokens stay as they are, checked again after rewrapEvery.
  const { keyId, resealed } = await reseal(port.tokenKeys(), port.aad(), await port.sealedTokens())
    .catch(() => ({ keyId: port.conn()?.keyId ?? null, resealed: null }));
  await port.onStep("resealed");
  // A consent, a refresh or an end meanwhile (or a refresh in flight): the facts, for lifecycle.js.
  const facts = { wrote: writes !== port.writes(), refreshing: port.refreshing() };
  await port.commit({ type: "rewrapped", keyId, resealed: Boolean(resealed), ...facts, now: Date.now() }, resealed);
}
