// One refresh of a connection, as its Durable Object runs it (single-flight:
// every caller meanwhile shares it). Correct under races because of two
// rules: the record is committed before each await that reaches the outside
// (a restart knows a refresh may have been sent), and after each such await
// the tokens' generation is checked again (a consent or an end meanwhile
// wins: the answer is never stored). `o` is what the refresh needs of the
// object (worker-connection.js, #port).
import { OAuthError } from "__OAUTH_ERROR__";
import { OAuthClient } from "./workerd.js";
import { canCall, canRefresh, mustRefresh, refreshStartAt, isLive, parseRetryAfter, revokeAnswer } from "./lifecycle.js";
import { plain } from "./worker-call.js";

export const EXHAUSTED = "the connection's grant is gone: the user must reconnect";

/** A client of its own for one refresh (`options`: the provider's): the Retry-After
 * it reports is the token endpoint's only, never an API answer's that landed meanwhile. */
export function refreshClient(options, fetcher, answered) {
  const fetch = (url, init) => (fetcher ?? globalThis.fetch)(url, init).then((response) => {
    answered(parseRetryAfter(response.headers.get("retry-after"), Date.now()));
    return response;
  });
  return new OAuthClient({ ...options, fetch });
}

/** Did a consent or a refresh already replace the token a refresh was asked for? */
export function replaced(o, staleAccessToken) {
  const tokens = o.tokens();
  return Boolean(tokens) && tokens.accessToken !== staleAccessToken && !mustRefresh(o.conn(), false).should;
}

/** Refreshes `staleAccessToken`'s tokens; the new tokens, stored before anyone sees them. */
export async function refreshOnce(o, staleAccessToken) {
  // Never within the floor of the last refresh, however this one started:
  // a call that needs it waits (at most refreshFloor seconds).
  const wait = refreshStartAt(o.conn(), Date.now(), o.lifecycle) - Date.now();
  if (wait > 0) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    // Meanwhile a consent may have replaced the tokens this refresh was for.
    if (replaced(o, staleAccessToken)) return o.tokens();
  }
  let tokens = await o.token();
  // The tokens and their generation, read together (a consent may land between).
  while (o.tokens() !== tokens) tokens = await o.token();
  const generation = o.generation();
  const conn = o.conn();
  const can = canRefresh(conn, Boolean(tokens.refreshToken));
  if (can.reason === "exhausted") throw new OAuthError("connection_exhausted", EXHAUSTED);
  if (can.reason === "not_found") throw new OAuthError("connection_not_found", "the connection was disconnected");
  if (!can.should) {
    // Its real cause: the token expired, and nothing can refresh it.
    await o.commit({ type: "token_refused", code: can.reason, now: Date.now() });
    throw new OAuthError("connection_exhausted", "the token expired and there is no refresh token: the user must reconnect");
  }
  let retryAfter = null;
  // Keys that cannot seal are found before anything is recorded or sent (the
  // answer's rotated refresh token could not be kept), and options that do
  // not build leave the state as it was.
  await o.seal({});
  const client = o.client(conn.provider, (seconds) => {
    retryAfter = seconds;
  });
  // Recorded before the request: a restart from here on knows a refresh may have reached the provider.
  await o.commit({ type: "refresh_started", retry: Boolean(conn.inflight?.pending || conn.inflight?.retry), now: Date.now() });
  await o.onStep("before_request");
  if (generation !== o.generation()) {
    client.free();
    return discarded(o, null);
  }
  let fresh;
  try {
    // The core merges the answer into the old token (a refresh token, scopes or company not sent back are kept).
    fresh = await client.refresh(tokens);
  } catch (error) {
    await o.onStep("answered");
    if (generation !== o.generation()) return discarded(o, null);
    const code = error instanceof OAuthError ? error.code : "network_error";
    const failed = await o.commit({ type: "refresh_failed", code, retryAfter, now: Date.now(), random: o.random() });
    if (!canCall(failed).should) throw new OAuthError("connection_exhausted", `the refresh failed for good (${failed.cause}): the user must reconnect`);
    throw error;
  } finally {
    client.free();
  }
  await o.onStep("answered");
  if (generation !== o.generation()) return discarded(o, fresh);
  const merged = plain(fresh);
  const rotated = merged.refreshToken !== tokens.refreshToken;
  let stored = false;
  try {
    const sealed = await o.seal(merged);
    if (generation !== o.generation()) return discarded(o, fresh);
    // The rotated refresh token is committed before any caller sees the new
    // access token, and kept in memory in the same tick as its write.
    const keep = () => {
      stored = true;
      if (generation === o.generation()) o.keep(merged);
    };
    await o.commit({ type: "refresh_succeeded", rotated, ...o.settle(conn.provider, merged, sealed) }, sealed, keep);
  } catch (error) {
    // Answered but not stored (keys that broke meanwhile, a provider removed
    // from the configuration): recorded as a failed refresh, never left
    // "refreshing"; a rotated grant nothing can store is revoked where the preset can.
    if (stored || generation !== o.generation()) throw error;
    if (revokeAnswer(o.conn(), { discarded: false, rotated }).should) await revokeQuietly(o, merged);
    const code = error instanceof OAuthError ? error.code : "network_error";
    await o.commit({ type: "refresh_failed", code, retryAfter: null, now: Date.now(), random: o.random() });
    throw error;
  }
  await o.onStep("written");
  return merged;
}

async function revokeQuietly(o, tokens) {
  try {
    await o.revoke(tokens);
  } catch {
    // No revocation endpoint, or it failed: nothing more can be done here.
  }
}

/** A refresh whose connection ended or got a new consent while it ran: its
 * answer is never stored and nothing is recorded; lifecycle.js's
 * revokeAnswer says whether it is revoked (after a user's disconnect). */
async function discarded(o, fresh) {
  const conn = o.conn();
  if (isLive(conn)) return o.token();
  if (fresh && revokeAnswer(conn, { discarded: true }).should) await revokeQuietly(o, plain(fresh));
  throw new OAuthError("connection_not_found", "the connection was disconnected during the refresh");
}
