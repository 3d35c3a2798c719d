// A consent, as its connection's Durable Object finishes it: the callback
// checked against the flows this connection began, the code exchanged, the
// tokens stored. From the exchange on a grant exists at the provider, so
// whatever keeps its tokens from being stored revokes it where the preset
// can and tells (`grant_orphaned`). `port` is what the consent needs of the
// object (worker-connection.js, #consentPort).
import { OAuthError } from "__OAUTH_ERROR__";
import { sha256 } from "./sealed.js";
import { REASON, flowMark, flowUsable } from "./lifecycle.js";
import { flowEnded } from "./lifecycle-decisions.js";
import { plain, revokeOrphan } from "./worker-call.js";

/** Parses the callback, spends its flow, exchanges the code and stores the tokens. */
export async function completeFlow(port, { provider, label, owner }, callbackUrl, pending) {
  const { client } = port;
  const callback = client.parseCallback(callbackUrl, pending);
  // Marked by the core's flowId; a flow begun before that, by sha256(state) (one release).
  const mark = flowMark(port.record(), callback.flowId, await sha256(callback.state));
  const usable = flowUsable(port.record(), mark);
  if (usable.reason === REASON.stateMismatch) throw new OAuthError("state_mismatch", "this connection started no such flow");
  if (!usable.should) throw new OAuthError("replayed_callback", "this callback was already used");
  // Keys that cannot seal (a deploy since connect) are found before the
  // code is sent: no grant is made that could not be stored.
  await port.seal({});
  const flows = port.record().flows;
  await port.commit({ type: "flow_used", mark, now: Date.now() });
  // Refused (a disconnect ended it, or another callback spent it, while keys were checked): no code is sent.
  if (port.record().flows === flows) throw new OAuthError("replayed_callback", "this callback's flow was used or ended meanwhile");
  // A disconnect sent before the exchange answers first: no grant is made while one revokes (review
  // 88). One sent since this flow was spent ended it: no code is sent.
  await port.disconnected();
  if (flowEnded(port.record().flows, mark)) throw new OAuthError("connection_not_found", "the connection was disconnected before its consent was exchanged");
  // From the exchange until it lands or its orphan is revoked: a disconnect sent meanwhile ends its flow and
  // answers only after that revocation, so a consent begun after the disconnect is exchanged after it (review 89).
  // What a disconnect waits for is the landing (the tokens written) or the orphan's revocation, not the
  // delivery of their events: an onEvent that awaits a disconnect would otherwise wait for itself (reviews 90, 91).
  let settle;
  const settled = new Promise((resolve) => (settle = resolve));
  const exchange = exchangeAndStore(port, { provider, label, owner }, callback, pending, mark, settle);
  const tracked = Promise.race([settled, exchange.then(() => {}, () => {})]);
  port.exchanges.add(tracked);
  try {
    return await exchange;
  } finally {
    port.exchanges.delete(tracked);
  }
}

async function exchangeAndStore(port, { provider, label, owner }, callback, pending, mark, settle) {
  const { client } = port;
  const token = await client.exchangeCode(callback, pending);
  await port.onStep("exchanged");
  let tokens = plain(token);
  let sealed, facts;
  try {
    // Preset data: introspection names the token's company.
    if (client.oneTokenPerCompany) tokens = { ...tokens, companyId: (await client.introspect(token)).companyId ?? null };
    sealed = await port.seal(tokens);
    facts = port.tokenFacts(tokens, sealed);
  } catch (error) {
    // An introspection that fails, keys that cannot seal, a provider removed meanwhile.
    const told = await revokeOrphan(client, tokens, error instanceof OAuthError ? error.code : "network_error");
    settle();
    await port.tell(told, { provider, label, owner, state: port.record().conn?.state ?? null, cause: null, lastError: null });
    throw error;
  }
  const before = port.record().conn;
  // Memory changes only with the write (same tick): nothing that can throw runs between.
  const after = await port.commit({ type: "connected", provider, label, owner, mark, ...facts }, sealed, () => {
    port.replaceTokens(tokens);
    settle(); // landed: a disconnect waits for this, not for the `connected` delivery (review 91)
  });
  // The reducer refused it (the user disconnected while it was exchanged): the new grant is an orphan.
  if (after === before) {
    const told = await revokeOrphan(client, tokens, "connection_not_found");
    settle();
    // The state now, after the revocation: a consent may have landed meanwhile (review 80).
    await port.tell(told, { provider, label, owner, state: port.record().conn?.state ?? null, cause: null, lastError: null });
    throw new OAuthError("connection_not_found", "the connection was disconnected while its consent was exchanged");
  }
  if (client.oneTokenPerCompany && tokens.companyId) await port.supersedeOthers(tokens.companyId);
  await port.released(before);
}
