// Issue 17 item 7: two refreshes of one rotating token at once, in one Node
// process, against the sandbox's reuse detection (RFC 9700 §4.14.2: a
// rotated-away refresh token used again revokes the whole grant).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { oauth, startSandbox, sandboxClient, consent, scopesFor, REDIRECT } from "./helpers.mjs";

let sandbox;
before(async () => { sandbox = await startSandbox({ redirectUris: [REDIRECT] }); });
after(() => sandbox.close());

async function connect(c) {
  const { url, pending } = c.startAuthorization({ scopes: scopesFor(c.provider) });
  return c.exchangeCode(c.parseCallback(await consent(url), pending), pending);
}

test("item 7: concurrent refreshes of one connection send one request, save before anyone sees the token, and keep the grant", async () => {
  const c = sandboxClient(sandbox, "custom");
  const token = await connect(c);
  const saved = [];
  const refresh = oauth.createRefresher({ save: async (fresh, key) => { await new Promise((r) => setTimeout(r, 20)); saved.push({ key, refreshToken: fresh.refreshToken }); } });
  const results = await Promise.all(Array.from({ length: 5 }, () => refresh(c, "user-1:custom", token)));
  assert.equal(new Set(results.map((t) => t.refreshToken)).size, 1, "everyone got the same rotated token");
  assert.notEqual(results[0].refreshToken, token.refreshToken);
  assert.deepEqual(saved, [{ key: "user-1:custom", refreshToken: results[0].refreshToken }], "saved once, before any caller resumed");
  // A caller still holding the old token gets the rotated one, not a replay.
  assert.equal((await refresh(c, "user-1:custom", token)).refreshToken, results[0].refreshToken);
  // The grant survived: the new refresh token works.
  const again = await refresh(c, "user-1:custom", results[0]);
  assert.ok(again.accessToken);
});

test("review 64: one key given for two providers' connections refreshes each at its own provider", async () => {
  const custom = sandboxClient(sandbox, "custom");
  const billit = sandboxClient(sandbox, "billit");
  const [a, b] = [await connect(custom), await connect(billit)];
  const saved = [];
  const refresh = oauth.createRefresher({ save: (fresh, key) => { saved.push(key); } });
  // The same key for both (a caller keying by user alone): before, the second
  // call joined the first's refresh and got the custom provider's token.
  const [fromCustom, fromBillit] = await Promise.all([refresh(custom, "user-1", a), refresh(billit, "user-1", b)]);
  assert.notEqual(fromCustom, fromBillit);
  assert.notEqual(fromBillit.refreshToken, fromCustom.refreshToken);
  assert.notEqual(fromBillit.refreshToken, b.refreshToken, "billit's own refresh ran");
  assert.equal(saved.length, 2);
  // Each fresh token refreshes again at its own provider.
  assert.ok((await billit.refresh(fromBillit)).accessToken);
  assert.ok((await custom.refresh(fromCustom)).accessToken);
});

test("review 65: save is told the token it replaces, so a store can refuse to put an old grant's token over a new one", async () => {
  const c = sandboxClient(sandbox, "custom");
  const token = await connect(c);
  const calls = [];
  const refresh = oauth.createRefresher({ save: (fresh, key, replaced) => { calls.push({ fresh, key, replaced }); } });
  const fresh = await refresh(c, "user-1:custom", token);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].fresh, fresh);
  assert.equal(calls[0].key, "user-1:custom");
  assert.equal(calls[0].replaced, token, "the token given to refresh");
  // A refresh token given as a string is what it replaces.
  await refresh(c, "user-1:custom", fresh.refreshToken);
  assert.equal(calls[1].replaced, fresh.refreshToken);
});

test("review 65: a key that is not a string is refused, not turned into \"[object Object]\" and shared", async () => {
  const c = sandboxClient(sandbox, "custom");
  const token = await connect(c);
  const refresh = oauth.createRefresher();
  for (const key of [{ id: "alice" }, 42, null, undefined]) {
    await assert.rejects(refresh(c, key, token), (error) => error.name === "OAuthError" && error.code === "invalid_argument");
  }
  assert.ok((await refresh(c, "alice", token)).accessToken, "the token was not spent by the refusals");
});

test("review 66, C1: two grants under one key (a reconnect) each refresh their own, never joining the other's", async () => {
  const c = sandboxClient(sandbox, "billit");
  const [a, b] = [await connect(c), await connect(c)];
  const saved = [];
  const refresh = oauth.createRefresher({ save: (fresh, key, replaced) => { saved.push(replaced); } });
  const [fromA, fromB] = await Promise.all([refresh(c, "u:billit", a), refresh(c, "u:billit", b)]);
  assert.notEqual(fromA.refreshToken, fromB.refreshToken, "B got its own refresh, not A's");
  assert.deepEqual(new Set(saved), new Set([a, b]));
  assert.ok((await c.refresh(fromB)).accessToken, "B's grant lives on");
});

test("review 66, C2: a save that failed is owed: the next caller holding the old token saves it, with no second refresh", async () => {
  const c = sandboxClient(sandbox, "billit");
  const token = await connect(c);
  const saves = [];
  let failing = true;
  const refresh = oauth.createRefresher({
    save: (fresh, key, replaced) => {
      if (failing) throw new Error("db down");
      saves.push({ fresh, replaced });
    },
  });
  await assert.rejects(refresh(c, "u:billit", token), /db down/);
  failing = false;
  const fresh = await refresh(c, "u:billit", token);
  assert.deepEqual(saves, [{ fresh, replaced: token }], "the owed save, over the token the store still holds");
  assert.equal(await refresh(c, "u:billit", token), fresh, "owed no more: no save again");
  assert.equal(saves.length, 1);
  assert.ok((await c.refresh(fresh)).accessToken, "the grant was never refreshed twice with one token");
});

test("review 67, F1: after a reconnect, a caller holding the old grant's rotated-away token gets that grant's token, never the new grant's", async () => {
  const c = sandboxClient(sandbox, "billit");
  const [a, b] = [await connect(c), await connect(c)];
  const refresh = oauth.createRefresher();
  const fromA = await refresh(c, "u:billit", a);
  const fromB = await refresh(c, "u:billit", b);
  assert.equal((await refresh(c, "u:billit", a)).refreshToken, fromA.refreshToken, "A's chain");
  assert.equal((await refresh(c, "u:billit", b)).refreshToken, fromB.refreshToken, "B's chain");
  // A's chain goes on; B's stale token still leads to B's newest.
  const fromA2 = await refresh(c, "u:billit", fromA);
  assert.equal((await refresh(c, "u:billit", a)).refreshToken, fromA2.refreshToken);
  assert.equal((await refresh(c, "u:billit", b)).refreshToken, fromB.refreshToken);
});

// A client whose provider rotates every refresh token, recording each refresh
// it is asked for and whether two ever ran with one refresh token at once.
function rotatingStub({ next = (n) => `rt-${n}`, fail = () => null } = {}) {
  let n = 0;
  const busy = new Set();
  const stub = {
    provider: "custom", environment: "default", clientId: "stub", calls: [], overlapped: false,
    async refresh(token, options) {
      const given = typeof token === "string" ? token : token.refreshToken;
      if (busy.has(given)) stub.overlapped = true;
      busy.add(given);
      stub.calls.push({ given, scopes: options?.scopes ?? null });
      await new Promise((r) => setTimeout(r, 10));
      busy.delete(given);
      const failure = fail(given, stub.calls.length);
      if (failure) throw failure;
      n += 1;
      return { accessToken: `at-${n}`, refreshToken: next(n, given, options), scopes: options?.scopes ?? ["a", "b"] };
    },
  };
  return stub;
}
/** How many times each refresh token was sent to the provider, for those sent more than once. */
const resent = (stub) => [...new Set(stub.calls.map((c) => c.given).filter((given, i, all) => all.indexOf(given) !== i))];

test("review 66, S2: a caller asking other scopes than a running refresh's gets its own, after it, never sharing the token", async () => {
  const stub = rotatingStub();
  const refresh = oauth.createRefresher();
  const [narrow, whole, narrowToo] = await Promise.all([
    refresh(stub, "u", "rt-0", { scopes: ["a"] }),
    refresh(stub, "u", "rt-0"),
    refresh(stub, "u", "rt-0", { scopes: ["a"] }),
  ]);
  assert.deepEqual(narrow.scopes, ["a"]);
  assert.equal(narrowToo, narrow, "the same scopes share the refresh");
  assert.deepEqual(whole.scopes, ["a", "b"], "not the narrowed token");
  assert.equal(stub.overlapped, false, "one refresh token is never sent twice at once");
  assert.deepEqual(stub.calls, [{ given: "rt-0", scopes: ["a"] }, { given: "rt-1", scopes: null }], "the second from the rotated token");
  // Later callers holding the rotated-away token: each gets its scopes' newest.
  assert.equal(await refresh(stub, "u", "rt-0"), whole);
  assert.equal(stub.calls.length, 2);
});

test("review 66, S1: rotations are remembered 10 minutes, not for the life of the process", async (t) => {
  t.mock.timers.enable({ apis: ["Date"], now: 1_700_000_000_000 });
  const stub = rotatingStub();
  const refresh = oauth.createRefresher();
  const fresh = await refresh(stub, "u", "rt-0");
  t.mock.timers.tick(600_000);
  assert.equal(await refresh(stub, "u", "rt-0"), fresh, "within 10 minutes: the rotation");
  assert.equal(stub.calls.length, 1);
  t.mock.timers.tick(1);
  // Another connection's call sweeps it: the record (and its tokens) are gone.
  await refresh(stub, "v", "rt-other");
  const again = await refresh(stub, "u", "rt-0");
  assert.notEqual(again, fresh, "forgotten: the stale token goes to the provider (which refuses a rotated-away one)");
  assert.deepEqual(stub.calls.map((c) => c.given), ["rt-0", "rt-other", "rt-0"]);
});

test("review 68, F1: a save that failed stays owed past 10 minutes: the rotated-away token is never sent again", async (t) => {
  t.mock.timers.enable({ apis: ["Date"], now: 1_700_000_000_000 });
  const stub = rotatingStub();
  let failing = true;
  const saved = [];
  const refresh = oauth.createRefresher({ save: (fresh) => { if (failing) throw new Error("db down"); saved.push(fresh.refreshToken); } });
  await assert.rejects(refresh(stub, "u", "rt-0"), /db down/);
  failing = false;
  t.mock.timers.tick(11 * 60_000);
  await refresh(stub, "v", "rt-other"); // another connection's call sweeps
  // The store still holds rt-0 (its save failed): the next caller lands the owed save.
  assert.equal((await refresh(stub, "u", "rt-0")).refreshToken, "rt-1");
  assert.deepEqual(saved, ["rt-2", "rt-1"]);
  assert.deepEqual(resent(stub), []);
});

test("review 68, F2: a holder of one token asking alternating scopes never gets its token sent twice", async () => {
  const stub = rotatingStub();
  const refresh = oauth.createRefresher();
  for (let i = 0; i < 40; i++) await refresh(stub, "u", "rt-0", { scopes: [i % 2 ? "read" : "write"] });
  assert.deepEqual(resent(stub), [], "a rotated-away token went to the provider again (it revokes the grant)");
});

test("review 68, F3: a caller waiting on a refresh with other scopes gets its failure, never re-sending the token", async () => {
  const failure = Object.assign(new Error("timed out"), { code: "network_error" });
  const stub = rotatingStub({ fail: (given, call) => (call === 1 ? failure : null) });
  const refresh = oauth.createRefresher();
  const outcomes = await Promise.allSettled([refresh(stub, "u", "rt-0", { scopes: ["a"] }), refresh(stub, "u", "rt-0", { scopes: ["b"] })]);
  assert.deepEqual(outcomes.map((o) => o.reason), [failure, failure]);
  assert.deepEqual(stub.calls.map((c) => c.given), ["rt-0"]);
});

test("review 68, F4: a provider handing back an earlier refresh token does not send the refresher round in circles", async () => {
  // rt-0 → rt-1, then rt-1 → rt-0 again: rt-0 is live once more.
  const stub = rotatingStub({ next: (n, given) => (given === "rt-1" ? "rt-0" : "rt-1") });
  const refresh = oauth.createRefresher();
  await refresh(stub, "u", "rt-0");
  await refresh(stub, "u", "rt-1", { scopes: ["a"] });
  const fresh = await refresh(stub, "u", "rt-0");
  assert.equal(fresh.refreshToken, "rt-1");
  assert.deepEqual(stub.calls.map((c) => c.given), ["rt-0", "rt-1", "rt-0"]);
});

test("review 70, F1: a rotation is remembered 10 minutes from when its save lands, not from the rotation", async (t) => {
  t.mock.timers.enable({ apis: ["Date"], now: 1_700_000_000_000 });
  const stub = rotatingStub();
  let failing = true;
  const refresh = oauth.createRefresher({ save: () => { if (failing) throw new Error("db down"); } });
  await assert.rejects(refresh(stub, "u", "rt-0"), /db down/);
  t.mock.timers.tick(11 * 60_000);
  failing = false;
  // Two requests read rt-0 from the store (its save still owed); the first lands the save.
  assert.equal((await refresh(stub, "u", "rt-0")).refreshToken, "rt-1");
  t.mock.timers.tick(1);
  assert.equal((await refresh(stub, "u", "rt-0")).refreshToken, "rt-1", "the second read rt-0 before the save landed");
  assert.deepEqual(resent(stub), []);
});

test("review 70, F2: past 16 grants under one key, the one rotated least recently is forgotten, never the one in use", async () => {
  const stub = rotatingStub();
  const refresh = oauth.createRefresher();
  const g0 = await refresh(stub, "u", "g0-0");
  for (let i = 1; i <= 15; i++) await refresh(stub, "u", `g${i}-0`);
  const g0again = await refresh(stub, "u", g0); // g0 is in use: rotated just now
  await refresh(stub, "u", "g16-0"); // a 17th grant
  assert.equal(await refresh(stub, "u", g0.refreshToken), g0again, "a holder of g0's token rotated away a moment ago");
  assert.deepEqual(resent(stub), []);
});

test("review 70, F3: misuse is an OAuthError: options, a save that is not a function, scopes or tokens the client refuses", async () => {
  const refused = (e) => e instanceof oauth.OAuthError && e.code === "invalid_argument";
  for (const options of [{ save: "db.replaceToken" }, { save: 42 }, "save", 7]) {
    assert.throws(() => oauth.createRefresher(options), refused, JSON.stringify(options));
  }
  assert.equal(typeof oauth.createRefresher(null), "function", "null: no options");
  const c = sandboxClient(sandbox, "custom");
  const token = await connect(c);
  const refresh = oauth.createRefresher();
  const cyclic = [];
  cyclic.push(cyclic);
  for (const [given, options] of [[token, { scopes: [1n] }], [token, { scopes: cyclic }], [{ refreshToken: 1n }, undefined]]) {
    await assert.rejects(refresh(c, "u", given, options), (e) => e instanceof oauth.OAuthError, String(options?.scopes));
  }
  assert.ok((await refresh(c, "u", token)).accessToken, "nothing was sent: the token is still good");
});
