// Connection metrics as Workers Analytics Engine data points, through an
// optional dataset binding (`metrics: "BINDING"`). One point per lifecycle
// event, per budget wait, and per daily heartbeat of each live connection
// (the daily re-wrap check), from which counts by state and key id come.
// A point holds only provider, state, event, code, key id and numbers:
// never owner, label, company id, scopes, a token or message text, since
// Analytics Engine cannot delete one user's points. The positions are fixed
// (README, "Metrics"): a test pins them and runs the README's queries.
import { errorCodes } from "./error-codes.js";
import { reconnectForecast } from "./lifecycle.js";

/** blob1..blob5 and double1..double4, in order. */
export const METRIC_FIELDS = Object.freeze({
  blobs: Object.freeze(["event", "provider", "state", "code", "keyId"]),
  doubles: Object.freeze(["count", "refreshLatencyMs", "budgetWaitMs", "reconnectInDays"]),
});

/** A code is one of a fixed list (the error codes, the lifecycle's causes, budget outcomes, forecast
 * reasons), never text a provider chose: anything else is written as "other". */
const CODES = new Set([
  ...errorCodes(), "refresh_outcome_unknown", "too_many_failures", "superseded", "user",
  "granted", "refused", "unavailable", "grant_lifetime", "refresh_failing", "refresh_token_not_renewed",
]);
const EVENTS = /^[a-z][a-z_]{0,31}$/;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const DAY_MS = 86_400_000;
/** An event's code: why it ended, why it failed, why a reconnect is due. */
const CODE_OF = {
  refresh_failed: (conn) => conn.lastError?.code,
  exhausted: (conn) => conn.cause,
  disconnected: (conn) => conn.cause,
  reconnect_due: (conn, forecast) => forecast?.reason,
};

/** The point for `fields` ({ event, provider, state, code, keyId, refreshLatencyMs, budgetWaitMs, reconnectInDays }). */
export function metricPoint(fields) {
  const text = (value, pattern) => (typeof value === "string" && pattern.test(value) ? value : "");
  const code = fields.code == null ? "" : CODES.has(fields.code) ? fields.code : "other";
  const number = (value) => (Number.isFinite(value) ? value : -1);
  const provider = text(fields.provider, KEY_ID);
  return {
    indexes: [provider],
    blobs: [text(fields.event, EVENTS), provider, text(fields.state, EVENTS), code, text(fields.keyId, KEY_ID)],
    doubles: [1, number(fields.refreshLatencyMs), number(fields.budgetWaitMs), number(fields.reconnectInDays)],
  };
}

/** Days until the grant must end (lifecycle.js's reconnectForecast), or null. */
function daysLeft(forecast, now) {
  return forecast?.endsAt == null ? null : Math.max(0, Math.floor((forecast.endsAt - now) / DAY_MS));
}

/** Writes points to the dataset `cfg.metrics(env)` names; a missing binding or a failed write changes nothing. */
export class Metrics {
  #cfg;

  constructor(cfg) {
    this.#cfg = cfg;
  }

  #write(env, fields) {
    const dataset = this.#cfg.metrics?.(env);
    if (!dataset) return;
    try {
      dataset.writeDataPoint(metricPoint(fields));
    } catch {
      // Metrics never fail a connection's work.
    }
  }

  /** A transition's `result` (lifecycle.js's), returned as is: a point per event it emitted, a
   * heartbeat for a re-wrap check, a refresh's latency (from its start, `lastRefreshAt`). */
  observe(env, event, result) {
    try {
      this.#committed(env, event, result);
    } catch {
      // Metrics never fail a connection's work.
    }
    return result;
  }

  #committed(env, event, { record: { conn }, events }) {
    if (!conn || !this.#cfg.metrics) return;
    const forecast = (c) => reconnectForecast(c, this.#cfg.lifecycle);
    const now = event.now ?? Date.now();
    const base = { provider: conn.provider, state: conn.state, keyId: conn.keyId, reconnectInDays: daysLeft(forecast(conn), now) };
    const refreshLatencyMs = (event.type === "refresh_succeeded" || event.type === "refresh_failed") && conn.lastRefreshAt != null
      ? Math.max(0, now - conn.lastRefreshAt) : null;
    for (const type of events) {
      const code = CODE_OF[type]?.(conn, forecast(conn)) ?? null;
      this.#write(env, { ...base, event: type, code, refreshLatencyMs });
    }
    if (event.type === "rewrapped") this.#write(env, { ...base, event: "heartbeat" });
  }

  /** A draw from the rate budget: `outcome` granted, refused or unavailable. */
  waited(env, conn, kind, waitMs, outcome) {
    if (!conn || !this.#cfg.metrics) return;
    this.#write(env, { event: `budget_${kind}`, provider: conn.provider, state: conn.state, code: outcome, keyId: conn.keyId, budgetWaitMs: waitMs });
  }
}
