// partner-oauth/worker: connections at the edge. One Durable Object per
// connection (owner × provider × label) owns its tokens from consent to
// reconnect: encrypted at rest, refreshed once however many requests race,
// retried with backoff, ended ("exhausted") when the provider refuses the
// grant, re-sealed under the newest key, and every change told as an event.
//
// The files, by role (CONTRIBUTING.md, "Worker storage", walks a token through them):
//   worker.js             this entry: the options; the routes and the object class put together
//   worker-routes.js      routes; `connection()`, `list()`, `disconnectAll()` for the app's own code
//   worker-rpc.js         the RPC wrapper (typed errors across the object boundary)
//   worker-connection.js  the Durable Object: acts on what the lifecycle decides
//   worker-consent.js     a callback finished: the flow spent, the code exchanged, the tokens stored
//   worker-refresh.js     one refresh (single-flight), and what a discarded answer means
//   worker-call.js        one API call through a connection
//   worker-store.js       the storage keys, the outbox and the alarm ("Worker storage", CONTRIBUTING.md)
//   worker-index.js       the company index (one token per company), a class of its own
//   worker-owners.js      an owner's connections: the owner index, the list, the cap
//   worker-navigation.js  which requests are a browser's navigation; returnTo redirects
//   worker-cookie.js      the pending flow's signed cookie
//   worker-log.js         structured log records (no secret, the owner hashed)
//   worker-budget.js      one rate budget per provider application (its RPC methods, and the draw)
//   worker-metrics.js     Analytics Engine data points (no owner, label or company)
//   lifecycle.js          the one reducer and every decision, pure (times in lifecycle-timing.js, an API call's
//                         next step in lifecycle-call.js, the reconnect forecast in lifecycle-forecast.js; re-exported)
import { OAuthError } from "__OAUTH_ERROR__";
import { LIFECYCLE_DEFAULTS } from "./lifecycle.js";
import { connectionClass } from "./worker-connection.js";
import { createRoutes, checkKinds } from "./worker-routes.js";
import { withBudget, budgeted, BUDGET_DEFAULTS } from "./worker-budget.js";
import { Metrics } from "./worker-metrics.js";
import { rpc } from "./worker-rpc.js";
import { returnToOption } from "./worker-navigation.js";
import { logOption } from "./worker-log.js";

export * from "./lifecycle.js";

/** Options of a provider entry that are ours, not the OAuthClient's. */
const OURS = ["scopes", "tokenKind", "tokenKinds", "params", "refreshTokenLifetime", "rateLimits", "grantLifetime"];

/**
 * The factory: `{ Connection, fetch, connection }`. Export `Connection` from
 * the Worker and bind it (wrangler.toml); route requests to `fetch`, or use
 * `connection(env, owner, provider, label)` from your own handlers.
 */
export function createConnections(options) {
  const cfg = configure(options);
  // What the connection object hands its API calls and transitions to (worker-budget.js, worker-metrics.js).
  cfg.points = new Metrics(cfg);
  cfg.budgeted = (client, env, conn, object) => budgeted(client, { cfg, env, conn, object });
  const { connection, handle, list, disconnectAll, ownerHash } = createRoutes(cfg);
  return {
    Connection: withBudget(connectionClass(cfg), cfg, rpc),
    connection,
    handle,
    /** The owner's connections: `[{ provider, label, state, nextRefreshAt, lastError: { code, at } | null, reconnect }]`. */
    list,
    /** Ends every connection of the owner (an account's deletion): `{ disconnected, failed }`. */
    disconnectAll,
    /** The owner as hashed log records show it; a new STATE_KEY secret gives new hashes. */
    ownerHash,
    /** `handle`, with 404 for what no route matches. */
    async fetch(request, env) {
      return (await handle(request, env)) ?? new Response("not found", { status: 404 });
    },
  };
}

function configure(options) {
  if (options === null || typeof options !== "object") throw new OAuthError("invalid_config", "createConnections needs options");
  const { providers, authenticate } = options;
  if (typeof authenticate !== "function") throw new OAuthError("invalid_config", "authenticate(request, env) is required");
  if (providers === null || (typeof providers !== "object" && typeof providers !== "function")) {
    throw new OAuthError("invalid_config", "providers: { name: client options } or (env) => that");
  }
  // A fixed list is checked now; a list from env at its first use (connect).
  if (typeof providers === "object") for (const entry of Object.values(providers)) if (entry) checkKinds(entry);
  const all = (env) => (typeof providers === "function" ? providers(env) : providers);
  const entry = (env, provider) => {
    const list = all(env);
    const found = Object.hasOwn(list, provider) ? list[provider] : null;
    if (!found) throw new OAuthError("unknown_provider", `no provider ${provider} is configured`);
    return found;
  };
  const queue = options.queue;
  const origin = options.origin;
  if (options.onError !== undefined && typeof options.onError !== "function") {
    throw new OAuthError("invalid_config", "onError is a function (error, request, env) => a Response or nothing");
  }
  const stateKey = options.stateKey ?? "STATE_KEY";
  const maxConnections = options.maxConnections ?? 50;
  const log = logOption(options.log, stateKey);
  if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new OAuthError("invalid_config", "maxConnections is a whole number of at least 1");
  return {
    authenticate,
    binding: options.binding ?? "CONNECTIONS",
    keys: options.keys ?? "TOKEN_KEYS",
    stateKey,
    basePath: (options.basePath ?? "/connections").replace(/\/+$/, ""),
    onEvent: options.onEvent,
    onStep: options.onStep,
    fetch: options.fetch,
    lifecycle: { ...LIFECYCLE_DEFAULTS, ...options.lifecycle },
    budget: budgetOptions(options.budget),
    // An Analytics Engine dataset binding's name, or (env) => the dataset.
    metrics: typeof options.metrics === "string" ? binding(options.metrics, "metrics", log) : options.metrics,
    queue: typeof queue === "string" ? binding(queue, "queue", log) : queue,
    origin: (env, url) => (typeof origin === "function" ? origin(env) : origin) ?? url.origin,
    // Same-origin paths only, checked now (a function's answer at each use).
    returnTo: returnToOption(options.returnTo),
    onError: options.onError,
    log,
    maxConnections,
    providerNames: (env) => Object.keys(all(env)),
    providerOptions: (env, provider) => {
      const options = { ...entry(env, provider), provider };
      for (const name of OURS) delete options[name];
      return options;
    },
    providerExtras: (env, provider) => entry(env, provider),
    refreshTokenLifetime: (env, provider) => entry(env, provider).refreshTokenLifetime ?? null,
    grant: (env, provider) => ({ grantLifetime: entry(env, provider).grantLifetime ?? null }),
  };
}

/** `env[name]`; absent, a config_error record (level error) once per isolate, since every point or event would be lost. */
function binding(name, option, log) {
  let told = false;
  return (env) => {
    const found = env?.[name];
    if (!found && !told) {
      told = true;
      log.write(env, "error", { event: "config_error", code: "invalid_config", option });
    }
    return found;
  };
}

/** `budget`: false (no shared budget), or { maxWaitMs, headroom } over the defaults. */
function budgetOptions(budget) {
  if (budget === false) return null;
  const merged = { ...BUDGET_DEFAULTS, ...budget };
  const { maxWaitMs, headroom } = merged;
  if (!(Number.isFinite(maxWaitMs) && maxWaitMs >= 0) || !(headroom > 0 && headroom <= 1)) {
    throw new OAuthError("invalid_config", "budget: { maxWaitMs: ms ≥ 0, headroom: (0, 1] } or false");
  }
  return merged;
}
