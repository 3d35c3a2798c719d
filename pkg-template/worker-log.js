// Structured logs of partner-oauth/worker: one record per state change,
// refresh outcome, configuration error and refused request. A record is
// built from a fixed list of fields, each a name we chose or a stable code,
// never a value from a request or a provider: no token, code, state,
// pending value, verifier, cookie, URL query, header value, key, client
// secret or provider text. The owner is a keyed hash unless `owner: "plain"`.
import { OAuthError } from "__OAUTH_ERROR__";
import { toBase64url } from "./sealed.js";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, off: 99 };
/** What a field may hold: a code, a state or a name of ours (a-z, 0-9, _ and -);
 * a provider's configured name may have capitals and dots too. */
const WORD = /^[a-z0-9_-]{1,64}$/;
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** The options a config_error may name (the one whose answer was refused, or whose binding is absent). */
const OPTIONS = new Set(["returnTo", "onError", "metrics", "queue", "keys", "providers"]);
/** Refusals only the operator can cure: a config_error naming the option, answered `status` (review 37,
 * finding D; else the route's own). `own`: only where the module's own exchange raised it (connect, callback);
 * on the API route the same code is the provider's answer to the user's own request, or a path the user chose,
 * answered 400 (review 38). No request chooses an environment: it is the operator's on every route. */
const CONFIG_CODES = {
  invalid_config: {}, vault_key_error: { option: "keys" }, invalid_redirect_uri: { own: true, status: 500 },
  invalid_client: { option: "providers", own: true, status: 502 },
  unknown_environment: { option: "providers", status: 500 },
  missing_endpoint: { option: "providers", own: true, status: 500 },
};
const OWN_ROUTES = new Set(["connect", "callback"]);

/** `{ option?, status? }` when `code` on `route` is a refusal only the operator can cure, else null: the log's
 * config_error and the route's answer status both read it (one decision). */
export function configRefusal(route, code) {
  const entry = Object.hasOwn(CONFIG_CODES, code) ? CONFIG_CODES[code] : null;
  return entry && (!entry.own || OWN_ROUTES.has(route)) ? entry : null;
}
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Events a connection tells that mean trouble (warn, not info). */
const TROUBLE = new Set(["refresh_failed", "exhausted", "backoff", "grant_orphaned"]);

/**
 * The `log` option: `{ level, sink, owner }` (or `false`: nothing). `level`:
 * the least level written (default "warn"); `sink(record, env)`: where a record
 * goes (default: the console, one JSON line), called in the Worker and in each
 * Durable Object (two isolates: no shared module state); `owner`: "hash" (default) or "plain".
 */
export function logOption(option, stateKeyName) {
  if (option === false) return createLog({ level: "off" }, stateKeyName);
  if (option === undefined || option === null) return createLog({}, stateKeyName);
  if (typeof option !== "object") throw new OAuthError("invalid_config", "log: { level, sink, owner } or false");
  const { level = "warn", sink, owner = "hash" } = option;
  if (!Object.hasOwn(LEVELS, level)) throw new OAuthError("invalid_config", "log.level: debug, info, warn, error or off");
  if (sink !== undefined && typeof sink !== "function") throw new OAuthError("invalid_config", "log.sink is a function (record, env) => void");
  if (owner !== "hash" && owner !== "plain") throw new OAuthError("invalid_config", 'log.owner: "hash" (default) or "plain"');
  return createLog({ level, sink, owner }, stateKeyName);
}

function createLog({ level = "warn", sink = toConsole, owner = "hash" }, stateKeyName) {
  const least = LEVELS[level];
  const keys = new Map();

  /** The owner as a hashed record shows it: HMAC-SHA-256 under a key derived from STATE_KEY, 16 bytes. */
  async function ownerHash(env, value) {
    if (typeof value !== "string" || value === "") throw new OAuthError("invalid_argument", "an owner is a non-empty string");
    const secret = env?.[stateKeyName];
    if (typeof secret !== "string" || secret.length < 32) throw new OAuthError("invalid_config", `${stateKeyName} must be a secret of at least 32 bytes`);
    if (!keys.has(secret)) {
      keys.clear();
      const raw = new TextEncoder().encode(`partner-oauth/worker log owner\0${secret}`);
      keys.set(secret, crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
    }
    const mac = await crypto.subtle.sign("HMAC", await keys.get(secret), new TextEncoder().encode(value));
    return toBase64url(new Uint8Array(mac).slice(0, 16));
  }

  /** The owner as written: hashed unless "plain"; null when there is none (or no key to hash it). */
  async function ownerField(env, value) {
    if (typeof value !== "string" || value === "") return null;
    if (owner === "plain") return value;
    return ownerHash(env, value).catch(() => null);
  }

  /** Writes one record; never throws (a log never breaks a request). */
  async function write(env, recordLevel, fields) {
    if (LEVELS[recordLevel] < least) return;
    try {
      const record = { level: recordLevel, at: new Date().toISOString() };
      for (const name of ["event", "route", "provider", "code", "state", "cause", "type"]) {
        const value = fields[name];
        if (typeof value === "string" && (name === "provider" ? NAME : WORD).test(value)) record[name] = value;
      }
      if (METHODS.has(fields.method)) record.method = fields.method;
      if (Number.isInteger(fields.status)) record.status = fields.status;
      if (Number.isInteger(fields.count)) record.count = fields.count;
      if (OPTIONS.has(fields.option)) record.option = fields.option;
      const who = await ownerField(env, fields.owner);
      if (who !== null) record.owner = who;
      await sink(record, env);
    } catch {
      // A sink that throws loses its record, nothing else.
    }
  }

  return {
    write,
    ownerHash,
    /** A request a route refused: info for 4xx (another site can cause them at will), warn
     * for 5xx, error for a refusal only the operator can cure (`configRefusal`). `provider` only when configured. */
    refused(env, { route, method, provider, owner, code, status, option }) {
      const config = configRefusal(route, code);
      const level = config ? "error" : status >= 500 ? "warn" : "info";
      const event = config ? "config_error" : "request_refused";
      return write(env, level, { event, route, method, provider, owner, code, status, option: option ?? config?.option });
    },
    /** The events one transition told, with the connection after it. */
    async changed(env, types, conn) {
      for (const type of types) {
        const level = TROUBLE.has(type) ? "warn" : "info";
        await write(env, level, {
          event: "state_changed", type, provider: conn?.provider, owner: conn?.owner, state: conn?.state,
          cause: conn?.cause ?? undefined, code: conn?.lastError?.code ?? undefined,
        });
      }
    },
  };
}

/** The default sink: one JSON line on the console, at the record's level. */
function toConsole(record) {
  const method = record.level === "error" ? "error" : record.level === "warn" ? "warn" : "log";
  console[method](JSON.stringify(record));
}
