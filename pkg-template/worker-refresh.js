// One refresh of a connection, as its Durable Object runs it (single-flight:
// every caller meanwhile shares it). Correct under races because of two
// rules: the record is committed before each await that reaches the outside
// (a restart knows a refresh may have been sent), and after each such await
// the tokens' generation is checked again (a consent or an end meanwhile
// wins: the answer is never stored). `port` is what the refresh needs of the
// object (worker-connection.js, #refreshPort).
import { OAuthError } from "__OAUTH_ERROR__";
import { OAuthClient } from "./workerd.js";
import { REASON, canCall, canRefresh, mustRefresh, refreshStartAt, isLive, revokeAnswer } from "./lifecycle.js";
import { plain } from "./worker-call.js";

export const EXHAUSTED = "the connection's grant is gone: the user must reconnect";

/** A client of its own for one refresh (`options`: the provider's; `fetcher`: the Worker's, if given). A refusal's
 * Retry-After comes on its error (`retryAfter`, io.js), the token endpoint's only. */
export function refreshClient(options, fetcher) {
  return new OAuthClient(fetcher ? { ...options, fetch: fetcher } : options);
}

/** Did a consent or a refresh already replace the token a refresh was asked for? */
export function replaced(port, staleAccessToken) {
  const tokens = port.tokens();
  return Boolean(tokens) && tokens.accessToken !== staleAccessToken && !mustRefresh(port.conn(), false).should;
}

/** Refreshes `staleAccessToken`'s tokens; the new tokens, stored before anyone sees them. `refused`: a call's
 * refused token asked for it (the record keeps when: lifecycle's refused_fresh). */
export async function refreshOnce(port, staleAccessToken, refused = false) {
  // Never within the floor of the last refresh, however this one started:
  // a call that needs it waits (at most refreshFloor seconds).
  const wait = refreshStartAt(port.conn(), Date.now(), port.lifecycle) - Date.now();
  if (wait > 0) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    // Meanwhile a consent may have replaced the tokens this refresh was for.
    if (replaced(port, staleAccessToken)) return port.tokens();
  }
  let tokens = await port.token();
  // The tokens and their generation, read together (a consent may land between).
  while (port.tokens() !== tokens) tokens = await port.token();
  const generation = port.generation();
  const conn = port.conn();
  const can = canRefresh(conn, Boolean(tokens.refreshToken));
  if (can.reason === REASON.exhausted) throw new OAuthError("connection_exhausted", EXHAUSTED);
  if (can.reason === REASON.notFound) throw new OAuthError("connection_not_found", "the connection was disconnected");
  if (!can.should) {
    // Its real cause: the token expired, and nothing can refresh it.
    await port.commit({ type: "token_refused", code: can.reason, now: Date.now() });
    throw new OAuthError("connection_exhausted", "the token expired and there is no refresh token: the user must reconnect");
  }
  // Keys that cannot seal are found before anything is recorded or sent (the
  // answer's rotated refresh token could not be kept), and options that do
  // not build leave the state as it was.
  await port.seal({});
  await port.onStep("sealed");
  // A consent or an end meanwhile: this refresh is not its to record.
  if (generation !== port.generation()) return discarded(port, null);
  const client = port.client(conn.provider);
  // Recorded before the request: a restart from here on knows a refresh may have reached the provider.
  await port.commit({ type: "refresh_started", refused, now: Date.now() });
  await port.onStep("before_request");
  if (generation !== port.generation()) {
    client.free();
    return discarded(port, null);
  }
  let fresh;
  try {
    // The core merges the answer into the old token (a refresh token, scopes or company not sent back are kept).
    fresh = await client.refresh(tokens);
  } catch (error) {
    await port.onStep("answered");
    if (generation !== port.generation()) return discarded(port, null);
    const code = error instanceof OAuthError ? error.code : "network_error";
    const retryAfter = error instanceof OAuthError ? error.retryAfter ?? null : null;
    const failed = await port.commit({ type: "refresh_failed", code, retryAfter, now: Date.now(), random: port.random() });
    if (!canCall(failed).should) throw new OAuthError("connection_exhausted", `the refresh failed for good (${failed.cause}): the user must reconnect`);
    throw error;
  } finally {
    client.free();
  }
  await port.onStep("answered");
  if (generation !== port.generation()) return discarded(port, fresh);
  const merged = plain(fresh);
  const rotated = merged.refreshToken !== tokens.refreshToken;
  let stored = false;
  try {
    const sealed = await port.seal(merged);
    if (generation !== port.generation()) return discarded(port, fresh);
    // The rotated refresh token is committed before any caller sees the new
    // access token, and kept in memory in the same tick as its write.
    const written = () => {
      stored = true;
      if (generation === port.generation()) port.keepRefreshed(merged);
    };
    await port.commit({ type: "refresh_succeeded", rotated, ...port.tokenFacts(conn.provider, merged, sealed) }, sealed, written);
  } catch (error) {
    // Answered but not stored (keys that broke meanwhile, a provider removed
    // from the configuration): recorded as a failed refresh, never left
    // "refreshing"; a rotated grant nothing can store is revoked where the preset can.
    if (stored || generation !== port.generation()) throw error;
    if (revokeAnswer(port.conn(), { discarded: false, rotated }).should) await revokeQuietly(port, merged);
    const code = error instanceof OAuthError ? error.code : "network_error";
    await port.commit({ type: "refresh_failed", code, retryAfter: null, now: Date.now(), random: port.random() });
    throw error;
  }
  await port.onStep("written");
  return merged;
}

async function revokeQuietly(port, tokens) {
  try {
    await port.revoke(tokens);
  } catch {
    // No revocation endpoint, or it failed: nothing more can be done here.
  }
}

/** A refresh whose connection ended or got a new consent while it ran: its
 * answer is never stored and nothing is recorded; lifecycle.js's
 * revokeAnswer says whether it is revoked (after, or during, a user's disconnect). */
async function discarded(port, fresh) {
  const decision = revokeAnswer(port.conn(), { discarded: true, disconnecting: port.disconnecting() });
  if (fresh && decision.should) await revokeQuietly(port, plain(fresh));
  if (isLive(port.conn())) return port.token();
  throw new OAuthError("connection_not_found", "the connection was disconnected during the refresh");
}
