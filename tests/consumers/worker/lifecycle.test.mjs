// The lifecycle decisions of partner-oauth/worker (pure functions), as
// properties over random inputs (fast-check): next state, next alarm,
// backoff given a random jitter. The Miniflare tests show the Durable Object
// acting on them; these show the decisions hold for every input.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  LIFECYCLE_DEFAULTS as D, backoffDelay, classifyFailure, nextAlarm, nextState,
  refreshDueAt, shouldRefresh as decideRefresh, parseRetryAfter,
} from "partner-oauth/worker/lifecycle";
import * as lifecycle from "partner-oauth/worker/lifecycle";

const NOW = 1_800_000_000_000;
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const code = fc.constantFrom("invalid_grant", "invalid_client", "network_error", "timeout", "http_error", "token_error", "invalid_response", "rate_limited", "invalid_token", "token_expired", "token_revoked");
const state = fc.constantFrom("active", "refreshing", "backoff", "exhausted", "disconnected");
const record = fc.record({
  state, failures: fc.nat(10), inflight: fc.option(fc.record({ retry: fc.boolean(), pending: fc.boolean() }), { nil: null }),
  refreshAt: fc.option(fc.integer({ min: NOW - 1e7, max: NOW + 1e7 }), { nil: null }),
  nextAttemptAt: fc.option(fc.integer({ min: NOW - 1e7, max: NOW + 1e7 }), { nil: null }),
  cause: fc.constant(null),
});
const event = fc.oneof(
  fc.record({ type: fc.constant("refresh_started"), retry: fc.boolean() }),
  fc.record({ type: fc.constant("refresh_succeeded"), now: fc.constant(NOW) }),
  fc.record({ type: fc.constant("refresh_failed"), code, retryAfter: fc.option(fc.nat(100000), { nil: null }), now: fc.constant(NOW), random: unit }),
  fc.record({ type: fc.constant("restarted"), now: fc.constant(NOW) }),
  fc.record({ type: fc.constant("disconnected"), cause: fc.constantFrom("user", "superseded") }),
);

test("backoff: base × 2ⁿ⁻¹ within ±jitter, capped, never below Retry-After", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), unit, fc.option(fc.nat(200000), { nil: null }), (n, r, retryAfter) => {
    const ms = backoffDelay(n, r, {}, retryAfter);
    const exponential = D.backoffBase * 2 ** (n - 1);
    const low = Math.min(exponential * (1 - D.jitter), D.backoffCap) * 1000;
    const high = Math.min(exponential * (1 + D.jitter), D.backoffCap) * 1000;
    const floor = retryAfter ? Math.min(retryAfter, 86400) * 1000 : 0;
    assert.ok(ms >= Math.max(low, floor) - 1 && ms <= Math.max(high, floor) + 1, `${n} ${r} ${retryAfter} → ${ms}`);
  }));
});

test("backoff: more failures never wait less (same jitter, no Retry-After)", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), unit, (n, r) => backoffDelay(n + 1, r) >= backoffDelay(n, r)));
});

test("a refused grant (invalid_grant, invalid_client) exhausts at once; nothing else is dead", () => {
  fc.assert(fc.property(record.filter((c) => c.state !== "exhausted" && c.state !== "disconnected"), code, unit, (c, failure, r) => {
    const { connection, emit } = nextState(c, { type: "refresh_failed", code: failure, now: NOW, random: r });
    if (classifyFailure(failure) === "dead" || c.inflight?.retry) {
      assert.equal(connection.state, "exhausted");
      assert.deepEqual(emit, ["refresh_failed", "exhausted"]);
    } else if (c.failures + 1 >= D.maxFailures) {
      assert.equal(connection.state, "exhausted");
      assert.equal(connection.cause, "too_many_failures");
    } else {
      assert.equal(connection.state, "backoff");
      assert.equal(connection.failures, c.failures + 1);
      assert.ok(connection.nextAttemptAt > NOW);
    }
    assert.equal(connection.inflight, null);
  }));
});

test("exhausted and disconnected are final: no event brings a connection back to active", () => {
  fc.assert(fc.property(fc.constantFrom("exhausted", "disconnected"), fc.array(event, { maxLength: 20 }), (final, events) => {
    let c = { state: final, failures: 0, inflight: null };
    for (const e of events) c = nextState(c, e).connection;
    assert.ok(c.state === "exhausted" || c.state === "disconnected");
  }));
});

test("no sequence of refreshes, answers and resets leaves a connection active while its refresh token is dead", () => {
  // A model of the provider: the refresh token is live or dead; a refresh
  // that reached it rotates it (a reset before the answer loses the new one).
  const step = fc.constantFrom("ok", "dead", "transient", "reset_before_send", "reset_after_send");
  fc.assert(fc.property(fc.array(step, { maxLength: 30 }), unit, (steps, r) => {
    let c = { state: "active", failures: 0, inflight: null };
    let live = true;
    for (const s of steps) {
      if (c.state === "exhausted") break;
      c = nextState(c, { type: "refresh_started", retry: Boolean(c.inflight?.pending || c.inflight?.retry) }).connection;
      if (s === "reset_before_send" || s === "reset_after_send") {
        if (s === "reset_after_send" && live) live = false; // rotated at the provider, new token lost
        c = nextState(c, { type: "restarted", now: NOW }).connection;
        continue;
      }
      const outcome = !live ? "dead" : s;
      if (outcome === "ok") c = nextState(c, { type: "refresh_succeeded", now: NOW }).connection;
      else {
        if (outcome === "dead") live = false;
        c = nextState(c, { type: "refresh_failed", code: outcome === "dead" ? "invalid_grant" : "timeout", now: NOW, random: r }).connection;
      }
    }
    if (!live) assert.notEqual(c.state, "active");
  }));
});

test("a restart with a refresh in flight retries once; a second restart exhausts with refresh_outcome_unknown", () => {
  const first = nextState({ state: "refreshing", inflight: { retry: false } }, { type: "restarted", now: NOW }).connection;
  assert.deepEqual(first.inflight, { retry: true, pending: true });
  assert.equal(decideRefresh(first, NOW).should, true);
  const started = nextState(first, { type: "refresh_started", retry: true }).connection;
  const second = nextState(started, { type: "restarted", now: NOW });
  assert.equal(second.connection.state, "exhausted");
  assert.equal(second.connection.cause, "refresh_outcome_unknown");
  const failed = nextState(started, { type: "refresh_failed", code: "timeout", now: NOW, random: 0.5 }).connection;
  assert.equal(failed.cause, "refresh_outcome_unknown");
});

test("refresh due: refreshAhead ± jitter before expiry, earlier for a refresh token's age; never without a refresh token or an end", () => {
  fc.assert(fc.property(
    fc.option(fc.integer({ min: NOW, max: NOW + 1e9 }), { nil: null }), fc.boolean(),
    fc.option(fc.integer({ min: NOW, max: NOW + 1e10 }), { nil: null }), unit,
    (expiresAt, hasRefreshToken, refreshTokenExpiresAt, r) => {
      const due = refreshDueAt({ expiresAt, hasRefreshToken, refreshTokenExpiresAt }, r);
      if (!hasRefreshToken || (expiresAt === null && refreshTokenExpiresAt === null)) return due === null;
      if (expiresAt !== null) {
        assert.ok(due <= expiresAt - D.refreshAhead * 1000 * (1 - D.jitter) + 1);
        if (refreshTokenExpiresAt === null) assert.ok(due >= expiresAt - D.refreshAhead * 1000 * (1 + D.jitter) - 1);
      }
      if (refreshTokenExpiresAt !== null) assert.ok(due <= refreshTokenExpiresAt - D.refreshTokenMargin * 1000);
      return true;
    }));
});

test("a never-expiring token (PayFit, Factorial company) gets no refresh alarm", () => {
  assert.equal(refreshDueAt({ expiresAt: null, hasRefreshToken: false, refreshTokenExpiresAt: null }, 0.5), null);
  assert.equal(nextAlarm({ state: "active", refreshAt: null }, { now: NOW }), null);
});

test("Payout's refresh tokens live 90 days: refreshed a day before, even with no traffic", () => {
  // The lifetime is Payout's preset data (client.refreshTokenLifetime; tests/config.rs).
  const issued = NOW;
  const due = refreshDueAt({ expiresAt: null, hasRefreshToken: true, refreshTokenExpiresAt: issued + 90 * 86400 * 1000 }, 0.5);
  assert.equal(due, issued + 89 * 86400 * 1000);
});

test("next alarm: never before now, the earliest of what is due, and set while events wait", () => {
  fc.assert(fc.property(fc.option(record, { nil: null }), fc.array(fc.integer({ min: NOW - 1e6, max: NOW + 1e9 }), { maxLength: 5 }), fc.boolean(), (c, flows, outbox) => {
    const at = nextAlarm(c, { flowExpiries: flows, outboxPending: outbox, now: NOW });
    if (outbox || flows.length) assert.notEqual(at, null);
    if (at === null) return true;
    assert.ok(at >= NOW);
    for (const f of flows) assert.ok(at <= Math.max(f, NOW));
    if (outbox) assert.ok(at <= NOW + D.outboxRetry * 1000);
    if (c && c.state === "backoff" && !c.inflight?.pending && c.nextAttemptAt !== null) assert.ok(at <= Math.max(c.nextAttemptAt, NOW));
    if (c && (c.state === "exhausted" || c.state === "disconnected") && !outbox && flows.length === 0) assert.fail("a final connection needs no alarm");
    return true;
  }));
});

test("Retry-After: seconds or an HTTP date", () => {
  assert.equal(parseRetryAfter("120", NOW), 120);
  assert.equal(parseRetryAfter(new Date(NOW + 30000).toUTCString(), NOW), 30);
  assert.equal(parseRetryAfter("soon", NOW), null);
  assert.equal(parseRetryAfter(null, NOW), null);
});

// Issue 24, finding 1: a token whose lifetime is shorter than refreshAhead
// was refreshed in a loop (1,094 refreshes in 3 s against the sandbox).
test("finding: refresh storm: at most ceil(3600 / max(L/2, F)) + 1 refreshes an hour, whatever the lifetime, clock and alarm delays", () => {
  const F = (D.refreshFloor ?? 5) * 1000;
  // When a refresh that a call needs may start (the floor since the last one).
  const startAt = lifecycle.refreshStartAt ?? ((c, now) => now);
  const lifetime = fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 365 * 86400 }));
  const delays = fc.array(fc.nat(20_000), { minLength: 1, maxLength: 50 });
  const calls = fc.array(fc.nat(3600_000), { maxLength: 200 });
  fc.assert(fc.property(lifetime, fc.integer({ min: 0, max: 4e12 }), delays, calls, unit, fc.boolean(), (L, t0, alarmDelays, callTimes, r, rotates) => {
    const issue = (now, previous) => {
      const expiresAt = now + L * 1000;
      const base = previous ?? { state: "active", failures: 0, inflight: null, lastRefreshAt: null };
      const c = { ...base, expiresAt, hasRefreshToken: true, refreshTokenIssuedAt: rotates || !previous ? now : previous.refreshTokenIssuedAt };
      return { ...c, refreshAt: refreshDueAt({ ...c, issuedAt: now }, r) };
    };
    let c = issue(t0, null);
    const times = [];
    const refresh = (now) => {
      times.push(now);
      const started = nextState(c, { type: "refresh_started", retry: false, now }).connection;
      c = issue(now, nextState(started, { type: "refresh_succeeded", now }).connection);
      assert.ok(c.refreshAt > now, `the next refresh (${c.refreshAt}) is not after this one (${now})`);
    };
    const end = t0 + 3600_000;
    const pendingCalls = [...callTimes].sort((a, b) => a - b).map((t) => t0 + t);
    let now = t0;
    for (let i = 0; now < end && i < 100_000; i++) {
      const at = nextAlarm(c, { now });
      const fire = at === null ? Infinity : at + alarmDelays[i % alarmDelays.length];
      // A call between now and the alarm: an expired token (a 401) makes it refresh.
      if (pendingCalls.length && pendingCalls[0] < fire) {
        const t = Math.max(now, pendingCalls.shift());
        if (c.expiresAt <= t) {
          const start = startAt(c, t);
          if (start < end) { now = start; refresh(now); } else now = end;
        } else now = t;
        continue;
      }
      if (fire >= end) break;
      now = Math.max(now, fire);
      if (decideRefresh(c, now).should) refresh(now);
    }
    const bound = Math.ceil(3600_000 / Math.max((L * 1000) / 2, F)) + 1;
    assert.ok(times.length <= bound, `L ${L} s: ${times.length} refreshes in an hour (bound ${bound})`);
    for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= F, `two refreshes ${times[i] - times[i - 1]} ms apart`);
  }), { numRuns: 300 });
});

// ---- Issue 25: the one reducer, `transition`, over every event ---------------------

const { transition, canCall, shouldRewrap, flowUsable, statusOf, isLive } = lifecycle;
const mark = fc.constantFrom("m1", "m2", "m3");
const flows = fc.dictionary(mark, fc.record({ expiresAt: fc.integer({ min: NOW - 1e6, max: NOW + 1e6 }), used: fc.boolean() }), { maxKeys: 3 });
const facts = fc.record({
  expiresAt: fc.option(fc.integer({ min: NOW, max: NOW + 1e8 }), { nil: null }), neverExpires: fc.boolean(), refreshToken: fc.boolean(),
  companyId: fc.option(fc.constant("co_1"), { nil: null }), scopes: fc.constant([]), obtainedAt: fc.constant(NOW),
});
const stored = fc.record({
  conn: fc.option(record.map((c) => ({ ...c, provider: "p", label: "", owner: "o" })), { nil: null }),
  flows,
});
const anyEvent = fc.oneof(
  event,
  fc.record({ type: fc.constant("connected"), provider: fc.constant("p"), label: fc.constant(""), owner: fc.constant("o"), token: facts, lifetime: fc.option(fc.nat(1e6), { nil: null }), keyId: fc.constantFrom("k1", "k2"), now: fc.constant(NOW), random: unit }),
  fc.record({ type: fc.constant("flow_begun"), mark, expiresAt: fc.integer({ min: NOW + 1, max: NOW + 1e6 }), now: fc.constant(NOW), maxFlows: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ type: fc.constant("flow_used"), mark, now: fc.constant(NOW) }),
  fc.record({ type: fc.constant("flows_expired"), now: fc.constant(NOW) }),
    fc.record({ type: fc.constant("refresh_succeeded"), now: fc.constant(NOW), token: facts, rotated: fc.boolean(), keyId: fc.constant("k2"), random: unit }),
  fc.record({ type: fc.constant("token_refused"), code: fc.constantFrom("token_revoked", "token_expired"), now: fc.constant(NOW) }),
  fc.record({ type: fc.constant("superseded"), now: fc.constant(NOW) }),
  fc.record({ type: fc.constant("rewrapped"), keyId: fc.constantFrom("k1", "k2", null), resealed: fc.boolean(), now: fc.constant(NOW) }),
  fc.record({ type: fc.constant("no_such_event"), now: fc.constant(NOW) }),
);

test("transition is total: every event on every record returns a record, what changed and the events, and never throws", () => {
  fc.assert(fc.property(stored, anyEvent, (r, e) => {
    const out = transition(r, e);
    assert.ok(out.record && typeof out.record.flows === "object");
    assert.ok(Array.isArray(out.events));
    assert.ok([null, "put", "delete"].includes(out.changed.tokens));
    // Nothing changed is nothing to write: the same record, no event.
    if (!out.changed.conn && !out.changed.flows && out.changed.tokens === null) {
      assert.equal(out.record.conn, r.conn);
      assert.deepEqual(out.events, []);
    }
    // Tokens are written only with the record that describes them.
    if (out.changed.tokens !== null) assert.equal(out.changed.conn, true);
  }));
});

test("transition: only a new consent leaves exhausted or disconnected; an end deletes the tokens once", () => {
  fc.assert(fc.property(stored, fc.array(anyEvent, { maxLength: 25 }), (r, events) => {
    let current = r;
    for (const e of events) {
      const wasFinal = current.conn && !canCall(current.conn).should;
      const out = transition(current, e);
      if (wasFinal && e.type !== "connected") assert.ok(!canCall(out.record.conn).should, `${e.type} revived a final connection`);
      if (e.type === "disconnected" || e.type === "superseded") {
        if (isLive(current.conn)) {
          assert.equal(out.changed.tokens, "delete");
          assert.deepEqual(out.events, ["disconnected"]);
        } else assert.equal(out.changed.tokens, null);
      }
      current = out.record;
    }
  }));
});

test("transition: a re-wrap keeps every live connection waking (exhausted and never-expiring too); never on a disconnected one", () => {
  fc.assert(fc.property(stored, fc.boolean(), fc.constantFrom("k1", "k2"), (r, resealed, keyId) => {
    const out = transition(r, { type: "rewrapped", keyId, resealed, now: NOW });
    if (!isLive(r.conn)) return assert.equal(out.changed.conn, false);
    assert.equal(out.record.conn.rewrapAt, NOW + D.rewrapEvery * 1000);
    assert.equal(out.record.conn.keyId, keyId);
    assert.equal(out.changed.tokens, resealed ? "put" : null);
    assert.equal(out.record.conn.state, r.conn.state);
    const at = nextAlarm(out.record.conn, { now: NOW });
    assert.ok(at !== null && at <= NOW + D.rewrapEvery * 1000);
    assert.equal(shouldRewrap(out.record.conn, NOW).should, false);
    assert.equal(shouldRewrap(out.record.conn, NOW + D.rewrapEvery * 1000).should, true);
  }));
});

test("transition: a consent or a refresh's tokens set the key and the next re-wrap; a connection loaded from before re-wrapping is due at once", () => {
  fc.assert(fc.property(facts, unit, (token, r) => {
    const { record: { conn } } = transition(null, { type: "connected", provider: "p", label: "", owner: "o", token, keyId: "k2", now: NOW, random: r });
    assert.equal(conn.state, "active");
    assert.equal(conn.keyId, "k2");
    assert.equal(conn.rewrapAt, NOW + D.rewrapEvery * 1000);
    assert.equal(statusOf(conn, NOW).keyId, "k2");
    const { rewrapAt, keyId, ...old } = conn;
    const loaded = transition({ conn: old, flows: {} }, { type: "restarted", now: NOW });
    assert.equal(loaded.record.conn.rewrapAt, NOW);
    assert.equal(nextAlarm(loaded.record.conn, { now: NOW }), NOW);
  }));
});

test("transition: flows are bounded, single use, and a replay is refused with its reason", () => {
  fc.assert(fc.property(stored, mark, fc.integer({ min: 1, max: 3 }), (r, m, maxFlows) => {
    const begun = transition(r, { type: "flow_begun", mark: m, expiresAt: NOW + 1e7, now: NOW, maxFlows });
    // Over the bound only by used flows, which stay while an exchange can run (review 77).
    const others = Object.entries(begun.record.flows).filter(([k]) => k !== m);
    assert.ok(others.length < maxFlows || others.every(([, flow]) => flow.used));
    assert.deepEqual(flowUsable(begun.record, m), { should: true, reason: "unused" });
    const used = transition(begun.record, { type: "flow_used", mark: m, now: NOW });
    assert.deepEqual(flowUsable(used.record, m), { should: false, reason: "replayed_callback" });
    assert.equal(transition(used.record, { type: "flow_used", mark: m, now: NOW }).changed.flows, false);
    assert.equal(flowUsable({ conn: null, flows: {} }, m).reason, "state_mismatch");
  }));
});

test("status shows why the alarm will or will not refresh", () => {
  fc.assert(fc.property(record.filter((c) => c.state !== "disconnected"), (c) => {
    const { refresh } = statusOf({ ...c, provider: "p", label: "" }, NOW);
    assert.equal(typeof refresh.reason, "string");
    assert.equal(refresh.should, decideRefresh(c, NOW).should);
  }));
});

// Review 24 finding 3: a due refresh that failed before it sent anything.
test("a refresh that could not start (started: false) backs off and counts towards maxFailures; a pending retry keeps its one chance", () => {
  fc.assert(fc.property(fc.constantFrom("vault_key_error", "unknown_provider", "invalid_config"), unit, (failure, random) => {
    let c = { state: "active", failures: 0, inflight: null, refreshAt: NOW - 1 };
    for (let n = 1; n < D.maxFailures; n++) {
      const { connection, emit } = nextState(c, { type: "refresh_failed", code: failure, retryAfter: null, now: NOW, random, started: false });
      assert.deepEqual([connection.state, connection.failures, connection.lastError.code, emit], ["backoff", n, failure, ["refresh_failed"]]);
      assert.ok(connection.nextAttemptAt >= NOW + D.backoffBase * 1000 * (1 - D.jitter));
      assert.equal(decideRefresh(connection, NOW).should, false);
      assert.ok(nextAlarm(connection, { now: NOW }) > NOW);
      c = connection;
    }
    const last = nextState(c, { type: "refresh_failed", code: failure, now: NOW, random, started: false }).connection;
    assert.deepEqual([last.state, last.cause], ["exhausted", "too_many_failures"]);
  }));
  const restarted = nextState({ state: "refreshing", inflight: { retry: false } }, { type: "restarted", now: NOW }).connection;
  const unstarted = nextState(restarted, { type: "refresh_failed", code: "vault_key_error", now: NOW, random: 0.5, started: false }).connection;
  assert.deepEqual([unstarted.state, unstarted.inflight], ["backoff", { retry: true }]);
  assert.equal(decideRefresh(unstarted, NOW).should, false);
  // The next attempt is the retry: cut off again, it ends the connection.
  const started = nextState(unstarted, { type: "refresh_started", retry: true, now: NOW }).connection;
  assert.equal(nextState(started, { type: "restarted", now: NOW }).connection.cause, "refresh_outcome_unknown");
});

// Review 24 finding 1: a stale company index names a connection that moved to another company, or ended.
test("holdsCompany: only a live connection holding exactly that company (null included) is superseded", () => {
  const { holdsCompany } = lifecycle;
  fc.assert(fc.property(fc.constantFrom(...lifecycle.STATES), fc.option(fc.constantFrom("co_a", "co_b"), { nil: null }), fc.option(fc.constantFrom("co_a", "co_b"), { nil: undefined }), (state, held, asked) => {
    const { should, reason } = holdsCompany({ state, companyId: held }, asked);
    assert.equal(should, state !== "disconnected" && asked !== undefined && held === asked);
    assert.equal(typeof reason, "string");
  }));
  assert.deepEqual(holdsCompany({ state: "active" }, null), { should: true, reason: "holds" });
  assert.equal(holdsCompany(null, "co_a").should, false);
});

// Issue 25 (a cold read), item 5: the decisions that stayed in the refresh
// and the API call (worker-refresh.js, worker-call.js) are lifecycle.js's now.
test("canRefresh: only a live, unexhausted connection with a refresh token refreshes; without one it ends as token_expired", () => {
  fc.assert(fc.property(fc.option(record, { nil: null }), fc.boolean(), (c, hasRefreshToken) => {
    const can = lifecycle.canRefresh(c, hasRefreshToken);
    assert.equal(can.should, isLive(c) && c.state !== "exhausted" && hasRefreshToken);
    if (isLive(c) && c.state !== "exhausted" && !hasRefreshToken) {
      assert.equal(can.reason, "token_expired");
      const ended = transition({ conn: c, flows: {} }, { type: "token_refused", code: can.reason, now: NOW }).record.conn;
      assert.deepEqual([ended.state, ended.cause], ["exhausted", "token_expired"]);
    }
  }));
});

test("revokeAnswer: a discarded answer is revoked only after, or during, the user's disconnect; an unstored one only when it rotated", () => {
  fc.assert(fc.property(fc.option(record, { nil: null }), fc.constantFrom("user", "superseded", null), fc.boolean(), fc.boolean(), fc.boolean(), (c, cause, discarded, rotated, disconnecting) => {
    const conn = c && { ...c, cause };
    const revoke = lifecycle.revokeAnswer(conn, { discarded, rotated, disconnecting });
    if (discarded) {
      // A live connection holds a newer consent's grant, never revoked from under it; the answer is
      // revoked when the user's disconnect ended the connection, or runs (review 87: the answer is
      // then the grant that disconnect was sent to end).
      assert.equal(revoke.should, isLive(conn) ? disconnecting : conn?.cause === "user");
    } else {
      assert.equal(revoke.should, rotated);
    }
  }));
});

test("afterCallError: each call retries at most what it may (a refused token refreshes only with a refresh token; only idempotent methods resend after a network error)", () => {
  const method = fc.constantFrom("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH");
  const hold = lifecycle.REFUSED_FRESH_HOLD_MS;
  const now = 1_700_000_000_000;
  // When a refusal's refresh gave the token: never, inside the hold, at its edge, long ago, or in the future (a clock
  // that went back: not a hold that never ends).
  const refusedRefreshAt = fc.constantFrom(null, undefined, now, now - hold + 1, now - hold, now - 10 * hold, now + 1, now + 10 * hold);
  fc.assert(fc.property(code, fc.option(fc.boolean(), { nil: undefined }), method, fc.boolean(), refusedRefreshAt, (failure, refreshAndRetry, m, hasRefreshToken, at) => {
    const next = lifecycle.afterCallError({ code: failure, refreshAndRetry, method: m, hasRefreshToken, refusedRefreshAt: at, now });
    assert.ok(["refresh_and_retry", "confirm_refused", "refused_fresh", "retry", "fail"].includes(next.reason));
    assert.equal(next.should, next.reason === "refresh_and_retry" || next.reason === "retry");
    // Only the refusal that does not say why (invalid_token) is held: an expired or revoked token is what a refresh cures.
    const held = failure === "invalid_token" && typeof at === "number" && now - at >= 0 && now - at < hold;
    if (refreshAndRetry === true) assert.equal(next.reason, !hasRefreshToken ? "confirm_refused" : held ? "refused_fresh" : "refresh_and_retry");
    if (next.reason === "retry") {
      assert.ok(["network_error", "timeout"].includes(failure));
      assert.ok(!["POST", "PATCH"].includes(m), `${m} was sent twice`);
    }
    if (refreshAndRetry !== true && !["network_error", "timeout"].includes(failure)) assert.equal(next.reason, "fail");
  }));
});

test("rateLimited: only a 429 or 503 that says when to retry is surfaced as a rate limit", () => {
  fc.assert(fc.property(fc.integer({ min: 100, max: 599 }), fc.option(fc.nat(100000), { nil: null }), (status, retryAfter) => {
    assert.equal(lifecycle.rateLimited(status, retryAfter).should, (status === 429 || status === 503) && retryAfter !== null);
  }));
});

// Reader (issue 25 walk): a retry after an unknown outcome that failed before
// it was sent waits in backoff with inflight { retry: true }. The object is
// then evicted (idle through the backoff) and loaded again: nothing is in
// flight, so the load must not end the connection as refresh_outcome_unknown.
test("reader: an object loaded again while its unsent retry waits in backoff keeps that retry (not exhausted)", () => {
  const { transition } = lifecycle;
  const restarted = nextState({ state: "refreshing", inflight: { retry: false } }, { type: "restarted", now: NOW }).connection;
  const unsent = nextState(restarted, { type: "refresh_failed", code: "vault_key_error", now: NOW, random: 0.5, started: false }).connection;
  assert.equal(unsent.state, "backoff");
  const conn = { provider: "p", label: "l", owner: "o", failures: 1, rewrapAt: NOW + 1, ...unsent };
  const loaded = transition({ conn, flows: {} }, { type: "restarted", now: NOW + 1000 });
  assert.equal(loaded.record.conn.state, "backoff");
  assert.deepEqual(loaded.events, []);
});

test("restarted moves only a connection that was refreshing: any other state keeps its record (an owed retry waits its attempt)", () => {
  fc.assert(fc.property(record, (c) => {
    const out = nextState(c, { type: "restarted", now: NOW });
    if (c.state !== "refreshing") assert.deepEqual(out.connection, { ...c });
    assert.deepEqual(out.emit.filter((e) => e !== "exhausted"), []);
  }));
});

// Review finding (issue 25): a re-wrap raced by a refresh in flight sealed
// nothing yet moved rewrapAt a full rewrapEvery ahead. If that refresh then
// failed (backoff, exhausted), the tokens stayed under the old key past the
// README's retirement window (rewrapEvery plus a margin).
test("review finding: a re-wrap raced by a refresh in flight (or a write meanwhile) seals nothing and comes back within outboxRetry, not a full rewrapEvery", () => {
  const { transition, shouldRewrap } = lifecycle;
  const conn = { provider: "p", label: "", owner: "o", state: "refreshing", inflight: { retry: false }, failures: 0, keyId: "k1", rewrapAt: NOW, lastRefreshAt: NOW - 1e6 };
  for (const facts of [{ refreshing: true, wrote: false }, { refreshing: false, wrote: true }]) {
    const out = transition({ conn, flows: {} }, { type: "rewrapped", keyId: "k2", resealed: true, ...facts, now: NOW });
    assert.equal(out.changed.tokens, null, "nothing it read is written back");
    assert.equal(out.record.conn.keyId, "k1");
    assert.ok(out.record.conn.rewrapAt <= NOW + D.outboxRetry * 1000, `rewrapAt ${out.record.conn.rewrapAt - NOW} ms ahead`);
    // The refresh then fails for good: the exhausted connection still re-wraps soon.
    const failed = transition(out.record, { type: "refresh_failed", code: "invalid_grant", now: NOW + 1, random: 0.5 });
    assert.equal(failed.record.conn.state, "exhausted");
    assert.equal(shouldRewrap(failed.record.conn, NOW + D.outboxRetry * 1000).should, true);
    assert.ok(nextAlarm(failed.record.conn, { now: NOW + 1 }) <= NOW + D.outboxRetry * 1000);
  }
});

/** Does `value` hold a NaN anywhere? */
const hasNaN = (value) => (typeof value === "number" ? Number.isNaN(value) : value !== null && typeof value === "object" && Object.values(value).some(hasNaN));

// Review (issue 25): the reducer threw a TypeError on { type: "connected" }
// without fields, and stored NaN times for an event without `now`.
test("transition is total over malformed events: no throw, no NaN stored; an event missing what it needs changes nothing and says invalid_event", () => {
  const { transition, statusOf } = lifecycle;
  const broken = fc.tuple(anyEvent, fc.constantFrom("now", "token", "provider", "label", "mark", "code", "random", "expiresAt", "retryAfter"), fc.constantFrom(undefined, NaN, "soon", null, {}))
    .map(([e, key, value]) => ({ ...e, [key]: value }));
  fc.assert(fc.property(stored, broken, (r, e) => {
    const out = transition(r, e);
    assert.equal(hasNaN(out.record), false, `${e.type} stored a NaN`);
    if (out.reason === "invalid_event") {
      assert.equal(out.record.conn, r.conn);
      assert.deepEqual(out.changed, { conn: false, flows: false, tokens: null, alarm: false });
      assert.deepEqual(out.events, []);
    }
  }));
  const conn = { provider: "p", label: "", owner: "o", state: "refreshing", inflight: { retry: false }, failures: 0 };
  for (const e of [{ type: "connected" }, { type: "restarted" }, { type: "refresh_failed", code: "timeout", random: 0.5, now: "soon" }, { type: "rewrapped", keyId: "k2" }, null, 7]) {
    const out = transition({ conn, flows: {} }, e);
    assert.equal(out.reason, "invalid_event", JSON.stringify(e));
    assert.equal(out.record.conn, conn);
  }
  // status() shows the re-wrap and call decisions beside the refresh's.
  const s = statusOf({ ...conn, state: "exhausted", rewrapAt: NOW - 1 }, NOW);
  assert.deepEqual([s.call, s.rewrap], [{ should: false, reason: "exhausted" }, { should: true, reason: "due" }]);
});

// Reviews 40 and 41: the refused_fresh mark (refusedRefreshAt) belongs to the
// token a refusal's refresh gives, or a retry of that refresh: the one owed
// after a restart, or the backoff's after it failed. (While in backoff the
// object reads no mark: review37.test.mjs, review40 finding 1.)
test("reducer: a refusal's refresh marks the token of its retries too (a restart's, a backoff's), and only theirs", () => {
  const NOW = 1_700_000_000_000;
  const live = { state: "active", failures: 0, inflight: null, refusedRefreshAt: null };
  const started = nextState(live, { type: "refresh_started", refused: true, now: NOW }).connection;
  assert.equal(started.refusedRefreshAt, NOW);
  const restarted = nextState(started, { type: "restarted", now: NOW + 10 }).connection;
  const retried = nextState(restarted, { type: "refresh_started", now: NOW + 20 }).connection;
  assert.equal(retried.refusedRefreshAt, NOW + 20, "the owed retry of a refusal's refresh lost its mark");
  const failed = nextState(started, { type: "refresh_failed", code: "http_error", retryAfter: null, now: NOW + 30, random: 0.5, started: true }).connection;
  assert.equal(failed.state, "backoff");
  const backoffRetry = nextState(failed, { type: "refresh_started", now: NOW + 60 }).connection;
  assert.equal(backoffRetry.refusedRefreshAt, NOW + 60, "the backoff's retry of a refusal's refresh lost its mark");
  const otherFailed = nextState({ ...live, refusedRefreshAt: null }, { type: "refresh_failed", code: "http_error", retryAfter: null, now: NOW, random: 0.5, started: true }).connection;
  assert.equal(nextState(otherFailed, { type: "refresh_started", now: NOW + 60 }).connection.refusedRefreshAt, null);
  const scheduled = nextState({ ...live, refusedRefreshAt: NOW }, { type: "refresh_started", now: NOW + 40 }).connection;
  assert.equal(scheduled.refusedRefreshAt, null, "a refresh no refusal asked for kept the mark");
});

test("review76: the user's disconnect ends a flow whose exchange is running: its consent's tokens are refused after it, for as long as an exchange can take", () => {
  const flow = { expiresAt: NOW + 1000, used: true };
  const record = { conn: null, flows: { m: flow, unused: { expiresAt: NOW + 1000, used: false } } };
  const token = { expiresAt: NOW + 3600e3, neverExpires: false, refreshToken: true, companyId: null, scopes: [], obtainedAt: NOW };
  const connected = (r, mark) => transition(r, { type: "connected", provider: "p", label: "", owner: "o", token, now: NOW, mark });
  // Without a disconnect, the used flow's consent lands.
  assert.notEqual(connected(record, "m").record.conn, null);
  const ended = transition(record, { type: "disconnected", cause: "user", now: NOW });
  assert.deepEqual(Object.keys(ended.record.flows), ["m"], "only the flow being exchanged is remembered");
  assert.ok(ended.record.flows.m.expiresAt >= NOW + 2 * 300_000, "remembered past the longest exchange");
  assert.equal(flowUsable(ended.record, "m").should, false);
  const refused = connected(ended.record, "m");
  assert.equal(refused.record.conn, ended.record.conn);
  assert.equal(refused.changed.tokens, null);
  assert.equal(refused.reason, "flow_ended");
  // Pruned at its time, like any flow.
  assert.deepEqual(transition(ended.record, { type: "flows_expired", now: ended.record.flows.m.expiresAt }).record.flows, {});
});

test("review77 F1: a used flow outlives its own expiry while an exchange can run, so a disconnect then still ends it", () => {
  const { transition } = lifecycle;
  const token = { expiresAt: NOW + 3600e3, neverExpires: false, refreshToken: true, companyId: null, scopes: [], obtainedAt: NOW };
  let r = transition({ conn: null, flows: {} }, { type: "flow_begun", mark: "m", expiresAt: NOW + 1000, now: NOW, maxFlows: 32 }).record;
  r = transition(r, { type: "flow_used", mark: "m", now: NOW + 999 }).record; // a callback in the flow's last second
  r = transition(r, { type: "flows_expired", now: NOW + 1000 }).record; // the alarm at the flow's end
  r = transition(r, { type: "disconnected", cause: "user", now: NOW + 1500 }).record;
  const landed = transition(r, { type: "connected", provider: "p", label: "", owner: "o", token, now: NOW + 3000, mark: "m" });
  assert.equal(landed.reason, "flow_ended");
  assert.equal(landed.changed.tokens, null);
});

test("review77 F3: the flows' bound evicts unused flows first, never a used or ended one", () => {
  const { transition } = lifecycle;
  for (const ended of [true, false]) {
    let r = transition({ conn: null, flows: {} }, { type: "flow_begun", mark: "m", expiresAt: NOW + 1200e3, now: NOW, maxFlows: 32 }).record;
    r = transition(r, { type: "flow_used", mark: "m", now: NOW + 1 }).record;
    if (ended) r = transition(r, { type: "disconnected", cause: "user", now: NOW + 2 }).record;
    for (let i = 0; i < 40; i++) r = transition(r, { type: "flow_begun", mark: `n${i}`, expiresAt: NOW + 1300e3 + i, now: NOW + 10 + i, maxFlows: 32 }).record;
    assert.ok(r.flows.m, `the ${ended ? "ended" : "used"} flow was evicted`);
    assert.equal(Object.keys(r.flows).length, 32);
    assert.ok(r.flows.n39, "the newest flow stays startable");
  }
});

test("review78 2: spent flows cannot pile up: at most twice the bound, and a disconnect does not extend an ended flow again", () => {
  const { transition } = lifecycle;
  let r = { conn: null, flows: {} };
  for (let i = 0; i < 200; i++) {
    r = transition(r, { type: "flow_begun", mark: `f${i}`, expiresAt: NOW + 600e3 + i, now: NOW + i, maxFlows: 32 }).record;
    r = transition(r, { type: "flow_used", mark: `f${i}`, now: NOW + i }).record;
  }
  assert.ok(Object.keys(r.flows).length <= 64, String(Object.keys(r.flows).length));
  const ended = transition(r, { type: "disconnected", cause: "user", now: NOW + 1000 }).record;
  const again = transition(ended, { type: "disconnected", cause: "user", now: NOW + 600e3 }).record;
  for (const [mark, flow] of Object.entries(again.flows)) assert.equal(flow.expiresAt, ended.flows[mark].expiresAt, mark);
});

test("review79: spending 64 junk flows after a disconnect cannot evict the ended one into landing: a consent whose flow is gone is refused", () => {
  const { transition } = lifecycle;
  const token = { expiresAt: NOW + 3600e3, neverExpires: false, refreshToken: true, companyId: null, scopes: [], obtainedAt: NOW };
  let r = transition({ conn: null, flows: {} }, { type: "flow_begun", mark: "victim", expiresAt: NOW + 600e3, now: NOW, maxFlows: 32 }).record;
  r = transition(r, { type: "flow_used", mark: "victim", now: NOW }).record;
  r = transition(r, { type: "disconnected", cause: "user", now: NOW + 1 }).record;
  for (let i = 0; i < 80; i++) {
    r = transition(r, { type: "flow_begun", mark: `j${i}`, expiresAt: NOW + 700e3 + i, now: NOW + 10 + i, maxFlows: 32 }).record;
    r = transition(r, { type: "flow_used", mark: `j${i}`, now: NOW + 10 + i }).record;
  }
  const landed = transition(r, { type: "connected", provider: "p", label: "", owner: "o", token, now: NOW + 100, mark: "victim" });
  assert.equal(landed.reason, "flow_ended");
  assert.equal(landed.changed.tokens, null);
});

test("review82: a disconnect's first step (flows_ended) ends the flows as the disconnect does and keeps the connection and its tokens until the grant is revoked", () => {
  const token = { expiresAt: NOW + 3600e3, neverExpires: false, refreshToken: true, companyId: null, scopes: [], obtainedAt: NOW };
  const connected = (r, mark) => transition(r, { type: "connected", provider: "p", label: "", owner: "o", token, now: NOW, mark });
  const live = connected({ conn: null, flows: { first: { expiresAt: NOW + 1000, used: true } } }, "first").record;
  const record = { conn: live.conn, flows: { m: { expiresAt: NOW + 1000, used: true }, unused: { expiresAt: NOW + 1000, used: false } } };
  const step = transition(record, { type: "flows_ended", now: NOW });
  assert.equal(step.record.conn, record.conn, "the connection stays as it was");
  assert.equal(step.changed.conn, false);
  assert.equal(step.changed.tokens, null, "its tokens stay stored (a reset leaves them to a retried disconnect)");
  assert.deepEqual(step.events, []);
  const whole = transition(record, { type: "disconnected", cause: "user", now: NOW });
  assert.deepEqual(step.record.flows, whole.record.flows, "the same flows end as in the whole disconnect");
  assert.equal(connected(step.record, "m").reason, "flow_ended");
  assert.equal(connected(step.record, "unused").reason, "flow_ended");
  // Nothing to end: nothing written.
  assert.equal(transition({ conn: record.conn, flows: {} }, { type: "flows_ended", now: NOW }).changed.flows, false);
  assert.equal(transition(record, { type: "flows_ended" }).reason, "invalid_event");
});

test("review88: a disconnect's last step (disconnected, flowsEnded) ends the connection and keeps the flows begun since its flows_ended; without flowsEnded they end", () => {
  const token = { expiresAt: NOW + 3600e3, neverExpires: false, refreshToken: true, companyId: null, scopes: [], obtainedAt: NOW };
  const connected = (r, mark) => transition(r, { type: "connected", provider: "p", label: "", owner: "o", token, now: NOW, mark });
  const live = connected({ conn: null, flows: { first: { expiresAt: NOW + 1000, used: true } } }, "first").record;
  const sent = transition(live, { type: "flows_ended", now: NOW }).record;
  // A reconnect begun after the disconnect was sent, its callback waiting for the disconnect (spent).
  const since = { ...sent, flows: { ...sent.flows, later: { expiresAt: NOW + 1000, used: true } } };
  const last = transition(since, { type: "disconnected", cause: "user", now: NOW, flowsEnded: true });
  assert.equal(last.record.conn.state, "disconnected");
  assert.deepEqual(last.events, ["disconnected"]);
  assert.equal(last.changed.tokens, "delete");
  assert.deepEqual(last.record.flows, since.flows, "the flows stay as the first step left them");
  const reconnect = connected(last.record, "later");
  assert.equal(reconnect.reason, undefined, "the reconnect lands after the disconnect");
  assert.equal(reconnect.record.conn.state, "active");
  assert.equal(connected(last.record, "first").reason, "flow_ended", "a consent from before it never does");
  const plain = transition(since, { type: "disconnected", cause: "user", now: NOW });
  assert.equal(connected(plain.record, "later").reason, "flow_ended", "a disconnect in one step ends every flow");
});
