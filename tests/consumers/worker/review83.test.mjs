// Review 83 (outside reviewer) on review 82's fix: a refresh that began during the disconnect's
// revocation (here the alarm's, at the access token's expiry) rotated the refresh token; the
// disconnect revoked the tokens it had read, then deleted the rotated ones unrevoked. The family
// variant is a control: a provider that revokes the whole grant family was never affected.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sandboxClients } from "partner-oauth/sandbox";
import { consent, reviewFixture } from "./harness.mjs";

const { fresh, mf, sandbox, ORIGIN, sleep, call, as, post, admin, works } = reviewFixture("review83", {
  REVOKE_DELAY_MS: "3000", TIMEOUT_MS: "8000",
});
async function refreshable(refreshToken) {
  const { clientId, clientSecret } = sandboxClients("factorial").main;
  const r = await fetch(sandbox().endpoints("factorial").token, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret ?? "" }) });
  return { status: r.status, body: await r.text() };
}

for (const perToken of [false, true]) {
  test(`review83 A (${perToken ? "provider revoking only the token presented" : "sandbox: revokes the grant family"}): a refresh during the disconnect's revocation leaves the rotated grant unrevoked`, async () => {
    await fresh({ PER_TOKEN_REVOKE: perToken ? "1" : "0" });
    await admin("switch", { clientId: "factorial-client", expiresIn: 3 });
    const owner = `r83-${crypto.randomUUID()}`;
    const start = await call(`/plain/factorial/connect?label=x`, post(owner));
    assert.equal(start.status, 303);
    const cookie = start.headers.get("set-cookie").split(";")[0];
    const callback = await consent(start.headers.get("location"));
    assert.equal((await call(callback.replace(ORIGIN, ""), as(owner, { headers: { cookie } }))).status, 303);
    const t0 = Date.now();
    await sleep(1500); // the alarm refreshes at the access token's expiry (3 s); the revocation takes 3 s
    const disconnecting = call(`/plain/factorial/disconnect?label=x`, post(owner)).then(async (r) => ({ status: r.status, body: await r.json() }));
    await sleep(3400 - (Date.now() - t0)); // the access token has expired; the revocation is outstanding (until ~4.5 s)
    const api = await call(`/plain/factorial/api/v1/employees?label=x`, as(owner));
    console.log("API call during the revocation:", api.status, Date.now() - t0, "ms");
    const answer = await disconnecting;
    await admin("switch", { clientId: "factorial-client", reset: true });
    const { log, events } = await (await mf().dispatchFetch(`${ORIGIN}/_test/log`)).json();
    const rel = (e) => ({ ...e, at: e.at - t0, ...(e.token && { token: e.token.slice(0, 12) }), ...(e.access && { access: e.access.slice(0, 12) }), ...(e.refresh && { refresh: e.refresh.slice(0, 12) }), ...(e.sent && { sent: e.sent.slice(0, 12) }) });
    console.log("disconnect answered:", JSON.stringify({ status: answer.status, revoked: answer.body.revoked, state: answer.body.status?.state }));
    console.log("provider log:", JSON.stringify(log.map(rel)));
    console.log("events:", JSON.stringify(events.map(rel)));
    const last = log.filter((e) => e.what.startsWith("token_") && e.status === 200).at(-1);
    const revokedToken = log.find((e) => e.what === "revoke_sent")?.token;
    const accessLive = await works(last.access);
    const refresh = await refreshable(last.refresh);
    console.log("the last tokens the connection stored came from", last.what, "| revocation named them:", [last.access, last.refresh].includes(revokedToken),
      "| their access token works:", accessLive, "| their refresh token refreshes:", refresh.status);
    assert.equal(answer.body.revoked, true);
    // A provider that revokes only the token presented (the fixture answers for it, the sandbox never
    // sees the revocation): the revocation must name the grant the connection last stored.
    if (perToken) assert.ok([last.access, last.refresh].includes(revokedToken), "revoked: true, but the revocation never named the grant the disconnect deleted: it is live at the provider");
    else assert.ok(!accessLive && refresh.status !== 200, "the disconnect answered revoked: true, the grant it deleted is live at the provider");
  });
}
