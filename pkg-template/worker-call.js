// One API call through a connection, as its Durable Object makes it: the
// token (refreshed first when the connection must), the request, and what a
// refused token, a network error or a rate limit mean for it. The object
// gives `api`: its client, its token, and its refresh; the lifecycle
// decisions behind those stay in lifecycle.js.
import { OAuthError } from "__OAUTH_ERROR__";
import { REASON, isLive, parseRetryAfter, afterCallError, rateLimited } from "./lifecycle.js";
import { withRetryAfter } from "./worker-rpc.js";
import { singleFlight } from "./refresher.js";

/** The provider's answer headers passed on; never `location` (the app's origin
 * redirects nowhere on a provider's word). */
const PASSED_HEADERS = ["content-type", "content-disposition", "cache-control", "etag", "last-modified"];

/** `{ status, headers, body }` of the provider's answer; `api`: { client, token(), mustRefresh(token),
 * refresh(token, refused), refused(token, error), refusedRefreshAt(token) }. */
export async function callApi(api, path, init) {
  const { client } = api;
  let token = await api.token();
  if (api.mustRefresh(token)) token = await api.refresh(token);
  const method = String(init.method ?? "GET").toUpperCase();
  const request = () => client.fetchApi(token, path, { method, headers: init.headers, body: init.body });
  let response;
  try {
    response = await request();
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    // What to do next is lifecycle.js's (afterCallError): each at most once.
    const next = afterCallError({
      code: error.code, refreshAndRetry: error.refreshAndRetry, method, hasRefreshToken: Boolean(token.refreshToken),
      refusedRefreshAt: api.refusedRefreshAt(token), now: Date.now(),
    });
    if (next.reason === REASON.confirmRefused) throw await api.refused(token, error);
    if (!next.should) throw error;
    // A refresh a refusal asked for: the record keeps when (the next refusal's refused_fresh).
    if (next.reason === REASON.refreshAndRetry) token = await api.refresh(token, true);
    response = await request();
  }
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"), Date.now());
  if (rateLimited(response.status, retryAfter).should) {
    response.body?.cancel().catch(() => {});
    throw withRetryAfter(new OAuthError("rate_limited", `the API answered ${response.status}: retry after ${retryAfter} s`, { status: response.status }), retryAfter);
  }
  // The provider's Content-Length where the body is passed as sent (not
  // content-encoded): a body cut at timeoutMs is then a short answer a
  // client detects, not one that looks whole.
  const passed = response.headers.has("content-encoding") ? PASSED_HEADERS : [...PASSED_HEADERS, "content-length"];
  return {
    status: response.status,
    headers: passed.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name)]] : [])),
    body: response.body,
  };
}

/** The API refused a token that has no refresh token (a never-expiring token
 * a provider revokes, say on an uninstall). It is gone only when
 * introspection confirms (`active: false`, or introspection refuses the
 * token itself): a transient 401 never ends a token that never expires, and
 * where the preset cannot introspect nothing confirms, so the error is
 * answered and the connection stays. True when confirmed (lifecycle.js names the cause). */
export async function refusedForGood(client, token) {
  try {
    return (await client.introspect({ ...token })).active === false;
  } catch (failure) {
    // A preset that cannot introspect (unsupported_grant) cannot confirm.
    return tokenRefused(failure);
  }
}

/** A user's disconnect of a live connection: its flows end (a consent given before it never lands);
 * after any refresh in flight, the grant is revoked while its tokens are still stored (an object
 * reset meanwhile leaves them to a retried disconnect); then `end()` ends the connection. One
 * revocation (reviews 80–82). From the moment it is sent until it answers it is in
 * `port.disconnects`, and a consent's exchange waits for it (completeFlow): no grant is made while
 * one revokes, so each ends the grant it was sent to end, whatever else the provider's revocation
 * ends (review 88). One disconnect at a time: one sent while another runs shares its answer if that
 * one ended the connection, else runs after it (reviews 84–86). While it runs it holds the refresh
 * slot of `inFlight` (the connection's single-flight map), so no refresh rotates the grant it
 * revokes (review 83); a refresh asked for meanwhile waits for it (`isHold`), then runs as the
 * connection then is. `port`: the refresh port (worker-connection.js). True if the provider
 * revoked the grant; null if the connection was no longer live (superseded). */
export async function disconnectGrant(port, end, inFlight) {
  return asDisconnect(port, () => disconnectOnce(port, end, inFlight));
}

/** Runs `step` (a disconnect) in `port.disconnects` until it has answered and so have the exchanges in
 * flight as it was sent (it ends their flows: each is refused and its orphan revoked), so that no consent
 * begun after it is exchanged while one of those revocations may still come (review 89). */
export async function asDisconnect(port, step) {
  const doomed = [...port.exchanges];
  const running = (async () => {
    try {
      return await step();
    } finally {
      await Promise.allSettled(doomed);
    }
  })();
  port.disconnects.add(running);
  try {
    return await running;
  } finally {
    port.disconnects.delete(running);
  }
}

async function disconnectOnce(port, end, inFlight) {
  await port.commit({ type: "flows_ended", now: Date.now() });
  const sent = port.generation();
  let waited = false, answer;
  while (inFlight.has("disconnect")) [waited, answer] = [true, await inFlight.get("disconnect")];
  if (waited && (port.generation() !== sent || !isLive(port.conn()))) return answer;
  return singleFlight(inFlight, "disconnect", async () => {
    while (inFlight.has("refresh")) await inFlight.get("refresh").catch(() => {});
    let release;
    const held = Object.assign(new Promise((resolve) => (release = resolve)), { hold: true });
    inFlight.set("refresh", held);
    try {
      return await revokeThenEnd(port, end, sent);
    } finally {
      if (inFlight.get("refresh") === held) inFlight.delete("refresh");
      release();
    }
  });
}

/** Resolves once every promise in `running` has settled, those added meanwhile too. */
export async function settled(running) {
  while (running.size > 0) await Promise.allSettled(running);
}

/** A disconnect that finds no live connection (none yet, or superseded meanwhile): flows in progress
 * end too (review 78); with `flowsEnded`, only those its `flows_ended` ended, and the flows begun
 * since stay (reviews 88, 89). Answers `connection_not_found`. `port`: the refresh port. */
export async function endFlows(port, flowsEnded) {
  await port.commit({ type: "disconnected", cause: "user", now: Date.now(), flowsEnded });
  throw new OAuthError("connection_not_found", "no such connection");
}

/** Is this single-flight entry a disconnect's hold (it resolves, with nothing, when the disconnect ends)? */
export const isHold = (pending) => pending?.hold === true;

async function revokeThenEnd(port, end, sent) {
  if (!isLive(port.conn())) return null;
  // A consent landed since this disconnect was sent: none can since review 88 (its exchange waits
  // for the disconnect); should one, its grant stays and nothing is confirmed revoked here.
  if (port.generation() !== sent) return false;
  let tokens = null;
  try {
    tokens = await port.token();
  } catch (error) {
    // Keys that cannot open them: nothing ends, the grant stays revocable once TOKEN_KEYS lists the
    // key again. Tokens unreadable otherwise: not revoked, the connection ends all the same.
    if (error instanceof OAuthError && error.code === "vault_key_error") throw error;
  }
  const revoked = tokens !== null && (await Promise.resolve().then(() => port.revoke(tokens)).then(() => true, () => false));
  if (isLive(port.conn()) && sent === port.generation()) await end();
  return revoked;
}

/** Did the provider refuse the access token (refresh it and retry once)? The core's
 * classification (`OAuthError.refreshAndRetry`), not a list of codes kept here. */
function tokenRefused(error) {
  return error instanceof OAuthError && error.refreshAndRetry === true;
}

/** A token as stored (sealed): its fields, nothing of the wasm object. */
export function plain(token) {
  const { accessToken, tokenType, expiresAt, neverExpires, refreshToken, scopes, extra, obtainedAt, companyId } = token;
  return { accessToken, tokenType, expiresAt, neverExpires, refreshToken, scopes, extra, obtainedAt, companyId: companyId ?? null };
}

/** Revokes a grant whose tokens could not be stored (`code`: why), where the preset can: `{ revoked, message }` for the event. */
export async function revokeOrphan(client, tokens, code) {
  let revoked = false;
  let revocable = true;
  try {
    await client.revoke(tokens);
    revoked = true;
  } catch (error) {
    revocable = !(error instanceof OAuthError && error.code === "unsupported_grant");
  }
  const why = code === "vault_key_error" ? "the tokens could not be sealed (TOKEN_KEYS)" : `the tokens could not be stored (${code})`;
  const message = revoked
    ? `${why}; the new grant was revoked at the provider`
    : revocable
      ? `${why} and revoking the new grant failed: remove the grant at the provider`
      : `${why} and this provider cannot revoke: remove the grant at the provider`;
  return { revoked, message };
}
