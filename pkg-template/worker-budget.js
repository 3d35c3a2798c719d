// One rate budget per provider application. Where a provider limits each
// client application, not each token (preset data: `rateLimitReads` /
// `rateLimitWrites`, or the entry's `rateLimits`), backoff inside one
// connection's object cannot keep the limit: every connection's API call
// draws from one object per (preset, client id) first. The draw is one RPC:
// the object answers when the call may go, or `rate_limited` once it would
// wait longer than `maxWaitMs`. Calls are paced evenly (a token bucket of
// depth one) at `headroom` of the limit, owners served in turn (one owner's
// flood never starves another's calls), and a provider's 429 tightens the
// pace (floor FLOOR, back to whole within RECOVER_MS) and pauses the owner
// whose call met it (its Retry-After): one tenant that draws 429s on its own
// (a per-token limit) slows the others by FLOOR at most, never stops them. The object lives in
// the connections' binding under a four-element name no connection key
// (three) can take, like the company index; its state is memory only.
import { OAuthError } from "__OAUTH_ERROR__";
import { parseRetryAfter } from "./lifecycle.js";
import { unwrap, stubOf, withRetryAfter } from "./worker-rpc.js";

const PREFIX = "partner-oauth:budget";
const READS = new Set(["GET", "HEAD", "OPTIONS"]);
/** A 429 halves the pace, never below this share of the limit... */
const FLOOR = 0.25;
/** ...and the pace is whole again this long after the last 429. */
const RECOVER_MS = 60_000;
/** Longest pause one 429's Retry-After may impose on the whole application. */
const MAX_PAUSE_MS = 60_000;

export const BUDGET_DEFAULTS = Object.freeze({ maxWaitMs: 1000, headroom: 0.9 });

/** The budget object's name for a client application of a preset. */
export function budgetName(preset, clientId) {
  return JSON.stringify([PREFIX, "application", preset, clientId]);
}

/** Is `name` exactly a budget object's name (four strings, our prefix)? */
export function isBudgetName(name) {
  let parsed;
  try {
    parsed = typeof name === "string" ? JSON.parse(name) : null;
  } catch {
    return false;
  }
  return Array.isArray(parsed) && parsed.length === 4 && parsed[0] === PREFIX && parsed[1] === "application"
    && parsed.every((part) => typeof part === "string") && JSON.stringify(parsed) === name;
}

/** Requests per second for `method` under `limits` ({ reads, writes }), or null: no budget. */
export function rateFor(limits, method) {
  const rate = READS.has(method) ? limits?.reads : limits?.writes;
  return typeof rate === "number" && rate > 0 ? rate : null;
}

/** The limits a provider entry's calls draw under: the entry's `rateLimits`
 * (false: none), else the preset's (`rateLimitReads` / `rateLimitWrites`). */
export function limitsOf(entry, client) {
  if (entry?.rateLimits === false) return null;
  const own = entry?.rateLimits ?? {};
  const reads = own.reads ?? client.rateLimitReads ?? null;
  const writes = own.writes ?? client.rateLimitWrites ?? null;
  return reads === null && writes === null ? null : { reads, writes };
}

/** The pace's share of the limit at `now`, after 429s: `{ factor, at }` recovers linearly. */
export function paceShare(tight, now) {
  if (!tight) return 1;
  return Math.min(1, tight.factor + ((1 - tight.factor) * Math.max(0, now - tight.at)) / RECOVER_MS);
}

/** One kind (reads or writes) of one application's budget: owners' queues served in turn. */
class Lane {
  next = 0;
  tight = null;
  queues = new Map();
  /** owner → until when its calls wait (a 429 it met). */
  paused = new Map();
  timer = null;

  /** Waits for a slot; `{ waitedMs }`, or throws rate_limited. */
  draw(owner, rate, { maxWaitMs, headroom }) {
    const now = Date.now();
    this.rate = rate * headroom;
    const queue = this.queues.get(owner) ?? [];
    const spacing = this.#spacing(now);
    // This owner's calls already queued fill its wait alone, or a 429 it met pauses it longer: refused at once.
    if (queue.length * spacing > maxWaitMs) throw limited(Math.ceil(((queue.length + 1) * spacing) / 1000));
    const paused = (this.paused.get(owner) ?? 0) - now;
    if (paused > maxWaitMs) throw limited(Math.ceil(paused / 1000));
    return new Promise((resolve, reject) => {
      queue.push({ since: now, deadline: now + maxWaitMs, resolve, reject });
      this.queues.set(owner, queue);
      // At this draw's own `now`: a free slot serves it even at maxWaitMs 0.
      this.#pump(now);
    });
  }

  /** A provider's 429: the pace halves (floor FLOOR); the owner whose call met it waits its Retry-After (≤ MAX_PAUSE_MS). */
  tighten({ retryAfter, limit, owner, rate, headroom }, now) {
    // The report carries the preset's rate: a fresh object (evicted, redeployed) that has not drawn yet knows its base.
    if (rate > 0) this.rate ??= rate * (headroom > 0 && headroom <= 1 ? headroom : BUDGET_DEFAULTS.headroom);
    let factor = Math.max(FLOOR, paceShare(this.tight, now) / 2);
    // A limit the provider names lower than ours tightens to it (still above the floor).
    if (typeof limit === "number" && limit > 0 && this.rate) factor = Math.max(FLOOR, Math.min(factor, limit / this.rate));
    this.tight = { factor, at: now };
    // No base known (a report without a rate): no slot is pushed out; the pace tightens from the next draw's rate.
    if (this.rate) this.next = Math.max(this.next, now + this.#spacing(now));
    if (typeof owner === "string") this.paused.set(owner, now + Math.min(MAX_PAUSE_MS, (retryAfter ?? 1) * 1000));
    this.#pump();
  }

  #spacing(now) {
    return 1000 / ((this.rate ?? 1) * paceShare(this.tight, now));
  }

  /** Serves owners in turn, one call per slot; a call past its deadline (not at it) is refused. */
  #pump(now = Date.now()) {
    clearTimeout(this.timer);
    this.timer = null;
    let earliest = Infinity;
    for (const [owner, until] of this.paused) if (until <= now) this.paused.delete(owner);
    for (const [owner, queue] of this.queues) {
      while (queue.length && queue[0].deadline < now) {
        const left = Math.max(this.#spacing(now), (this.paused.get(owner) ?? now) - now);
        queue.shift().reject(limited(Math.ceil(left / 1000)));
      }
      if (!queue.length) this.queues.delete(owner);
      else earliest = Math.min(earliest, queue[0].deadline + 1, this.paused.get(owner) ?? Infinity);
    }
    // The first owner in turn that is not paused; it goes to the back (Map order is the turn order).
    const turn = [...this.queues].find(([owner]) => !this.paused.has(owner));
    if (turn && now >= this.next) {
      const [owner, queue] = turn;
      const waiter = queue.shift();
      this.queues.delete(owner);
      if (queue.length) this.queues.set(owner, queue);
      // Depth one: a slot left unused is not saved up for a burst.
      this.next = Math.max(this.next, now) + this.#spacing(now);
      waiter.resolve({ waitedMs: now - waiter.since });
    }
    if (!this.queues.size) return;
    const ready = [...this.queues.keys()].some((owner) => !this.paused.has(owner));
    const wake = ready ? Math.min(this.next, earliest) : earliest;
    this.timer = setTimeout(() => this.#pump(), Math.max(0, wake - Date.now()));
  }
}

function limited(retryAfter) {
  const error = new OAuthError("rate_limited", "the application's rate budget is spent: retry later");
  return withRetryAfter(error, Math.max(1, retryAfter));
}

/** The budget object's side: its lanes (reads, writes), in memory. */
export class Budget {
  #lanes = new Map();

  #lane(kind) {
    if (!this.#lanes.has(kind)) this.#lanes.set(kind, new Lane());
    return this.#lanes.get(kind);
  }

  /** `request`: { owner, kind: "reads"|"writes", rate, maxWaitMs, headroom }. */
  draw({ owner, kind, rate, maxWaitMs, headroom }) {
    if (typeof owner !== "string" || (kind !== "reads" && kind !== "writes") || !(rate > 0)) {
      throw new OAuthError("invalid_config", "a budget draw needs an owner, a kind and a rate");
    }
    return this.#lane(kind).draw(owner, rate, { maxWaitMs, headroom });
  }

  /** `report`: { owner, kind, retryAfter (s or null), limit (per second, or null), rate, headroom (the draw's) }. */
  tighten({ owner, kind, retryAfter = null, limit = null, rate = null, headroom = null }) {
    if (kind !== "reads" && kind !== "writes") throw new OAuthError("invalid_config", "a budget report needs a kind");
    this.#lane(kind).tighten({ retryAfter, limit, owner, rate, headroom }, Date.now());
    return {};
  }
}

/** The RPC methods the budget adds to the connections' class: each takes the
 * budget's name first and refuses any object not named by it. */
export function withBudget(Base, cfg, rpc) {
  return class extends Base {
    #budget = null;

    #checked(name) {
      const namespace = this.env[cfg.binding];
      if (!isBudgetName(name) || !namespace || !namespace.idFromName(name).equals(this.ctx.id)) {
        throw new OAuthError("connection_not_found", "this object is not that budget");
      }
      return (this.#budget ??= new Budget());
    }

    /** Budget objects only: waits for a slot for one API call. */
    async budgetDraw(name, request) {
      return rpc(async () => this.#checked(name).draw(request));
    }

    /** Budget objects only: a provider's 429 for this application. */
    async budgetTighten(name, report) {
      return rpc(async () => this.#checked(name).tighten(report));
    }
  };
}

/** Each connection object's BudgetClient (its fallback backoff), kept as long as the object lives. */
const CLIENTS = new WeakMap();

/** `client` as connection `object` uses it for one API call: drawing from the budget (BudgetClient.wrap). */
export function budgeted(client, { cfg, env, conn, object }) {
  if (!CLIENTS.has(object)) CLIENTS.set(object, new BudgetClient());
  return CLIENTS.get(object).wrap(client, { cfg, env, conn, metrics: cfg.points });
}

/** A connection's side: per-connection backoff, used while the budget object fails. */
class BudgetClient {
  #pausedUntil = 0;
  #fallback = false;

  /** `client`, its `fetchApi` drawing from the application's budget first, where
   * its limits say (`cfg.budget` false: never). `metrics` (worker-metrics.js) is told each draw. */
  wrap(client, { cfg, env, conn, metrics }) {
    const { owner, provider } = conn;
    const onWait = (kind, ms, outcome) => metrics?.waited(env, conn, kind, ms, outcome);
    const namespace = env[cfg.binding];
    const limits = cfg.budget && namespace ? limitsOf(cfg.providerExtras(env, provider), client) : null;
    if (!limits) return client;
    const name = budgetName(client.provider, client.clientId);
    const options = { maxWaitMs: cfg.budget.maxWaitMs, headroom: cfg.budget.headroom };
    const fetchApi = async (token, path, init = {}) => {
      const method = String(init.method ?? "GET").toUpperCase();
      const rate = rateFor(limits, method);
      if (rate === null) return client.fetchApi(token, path, init);
      const kind = READS.has(method) ? "reads" : "writes";
      const stub = stubOf(namespace, name);
      await this.#draw(stub, name, { owner, kind, rate, ...options }, onWait);
      const response = await client.fetchApi(token, path, init);
      const who = { owner, kind, rate, headroom: options.headroom };
      if (response.status === 429) await this.#report(stub, name, who, response.headers);
      return response;
    };
    return new Proxy(client, {
      get: (target, prop) => {
        if (prop === "fetchApi") return fetchApi;
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  async #draw(stub, name, request, onWait) {
    const now = Date.now();
    if (now < this.#pausedUntil) throw limited(Math.ceil((this.#pausedUntil - now) / 1000));
    let waitedMs;
    try {
      ({ waitedMs } = unwrap(await stub.budgetDraw(name, request)));
    } catch (error) {
      if (error instanceof OAuthError && error.code === "rate_limited") {
        onWait?.(request.kind, request.maxWaitMs, "refused");
        throw error;
      }
      // The budget object failed: this call goes on its own; a 429 then pauses this connection.
      this.#fallback = true;
      onWait?.(request.kind, 0, "unavailable");
      return;
    }
    this.#fallback = false;
    onWait?.(request.kind, waitedMs, "granted");
  }

  /** A 429: the application's budget tightens; while it is unavailable, this connection pauses. */
  async #report(stub, name, who, headers) {
    const retryAfter = parseRetryAfter(headers.get("retry-after"), Date.now());
    let limit = null;
    for (const [header, value] of headers) if (/^x-ratelimit-limit(-second)?$/i.test(header) && Number(value) > 0) limit = Number(value);
    if (this.#fallback) this.#pausedUntil = Date.now() + Math.min(MAX_PAUSE_MS, (retryAfter ?? 1) * 1000);
    // Awaited, so the next call sees it; a failed report only leaves the budget as it was.
    await stub.budgetTighten(name, { ...who, retryAfter, limit }).catch(() => {});
  }
}
