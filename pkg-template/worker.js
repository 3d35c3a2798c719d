// partner-oauth/worker: connections at the edge. One Durable Object per
// connection (owner × provider × label) owns its tokens from consent to
// reconnect: encrypted at rest, refreshed once however many requests race,
// retried with backoff, ended ("exhausted") when the provider refuses the
// grant, and every change told as an event. Lifecycle decisions are the
// pure functions of lifecycle.js; this file stores and acts on them.
import { DurableObject } from "cloudflare:workers";
import { OAuthClient } from "./workerd.js";
import { readCapped } from "./io.js";
import { OAuthError } from "__OAUTH_ERROR__";
import { seal, open, tokenKeys, toBase64url, fromBase64url } from "./sealed.js";
import {
  LIFECYCLE_DEFAULTS, nextState, nextAlarm, refreshDueAt, refreshNeeded, refreshStartAt, parseRetryAfter,
} from "./lifecycle.js";

export * from "./lifecycle.js";

/** Options of a provider entry that are ours, not the OAuthClient's. */
const OURS = ["scopes", "tokenKind", "tokenKinds", "params", "refreshTokenLifetime"];
/** The five route shapes under `{basePath}/:provider/`; anything else is no route (null). */
const ROUTES = new Set(["connect", "callback", "status", "disconnect", "api"]);
/** An HTTP method (RFC 9110 §9.1: a token). */
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const TOKEN_ERRORS = new Set(["token_expired", "invalid_token", "token_revoked"]);
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const RETRY_STATUSES = new Set([429, 503]);
const HTTP_STATUS = {
  unauthenticated: 401, cross_site_request: 403, connection_not_found: 404, unknown_provider: 404,
  connection_exhausted: 409, connection_backoff: 503, rate_limited: 429, vault_key_error: 500,
  invalid_config: 500, network_error: 502, http_error: 502, invalid_response: 502, timeout: 504,
  token_expired: 502, invalid_token: 502, token_revoked: 502, input_too_large: 502,
};
/** The largest request body the API route reads (I/O policy: an upload
 * bigger than this goes through connection().fetch from your own handler). */
const REQUEST_BODY_LIMIT = 1 << 20;
/** Marks the request-body error: 413, not the 502 of a provider's answer too large. */
const REQUEST_TOO_LARGE = Symbol("request too large");
/** Flows one connection keeps open at once (each mark ~80 bytes stored). */
const MAX_FLOWS = 32;
/** The provider's answer headers passed on; never `location` (the app's origin
 * redirects nowhere on a provider's word). */
const PASSED_HEADERS = ["content-type", "content-disposition", "cache-control", "etag", "last-modified"];
/** On every proxied answer: a browser neither sniffs it nor runs it as a page of the app's origin. */
const PROXY_HEADERS = { "x-content-type-options": "nosniff", "content-security-policy": "sandbox; default-src 'none'" };

/**
 * The factory: `{ Connection, fetch, connection }`. Export `Connection` from
 * the Worker and bind it (wrangler.toml); route requests to `fetch`, or use
 * `connection(env, owner, provider, label)` from your own handlers.
 */
export function createConnections(options) {
  const cfg = configure(options);

  class Connection extends DurableObject {
    #key = null;
    #conn = null;
    #flows = {};
    #outbox = 0;
    #tokens = null;
    #client = null;
    #refreshing = null;
    /** Bumped whenever the tokens are replaced (a consent) or deleted (an end):
     * a refresh answered for an older generation is discarded. */
    #generation = 0;
    #ready;

    constructor(ctx, env) {
      super(ctx, env);
      this.#ready = ctx.blockConcurrencyWhile(() => this.#load());
    }

    /** The storage this object uses; a subclass may wrap it (tests count writes). */
    get storage() {
      return this.ctx.storage;
    }

    /** The token keys secret (TOKEN_KEYS); a subclass may wrap it (tests break it mid-flow). */
    get tokenKeys() {
      return this.env[cfg.keys];
    }

    /** Called at `before_request`, `answered` and `written` of a refresh, and
     * at `exchanged` of a callback (the code exchanged, the tokens not yet sealed). */
    async onStep(name) {
      await cfg.onStep?.(name, this);
    }

    async #load() {
      const got = await this.storage.get(["key", "conn", "flows"]);
      this.#key = got.get("key") ?? null;
      this.#conn = got.get("conn") ?? null;
      this.#flows = got.get("flows") ?? {};
      this.#outbox = (await this.storage.list({ prefix: "event:" })).size;
      if (this.#conn?.inflight && !this.#conn.inflight.pending) {
        // Restarted with a refresh in flight: its outcome is unknown.
        const { connection, emit } = nextState(this.#conn, { type: "restarted", now: Date.now() }, cfg.lifecycle);
        await this.#save(connection, emit);
        await this.#schedule();
      }
    }

    // ---- RPC methods; each takes the connection's key first -----------------

    /** Records a flow this connection started: single use, until it expires. */
    async begin(key, flow) {
      return rpc(async () => {
        await this.#check(key, { bind: true });
        const now = Date.now();
        this.#flows = prune(this.#flows, now);
        this.#flows[flow.mark] = { expiresAt: flow.expiresAt, used: false };
        // Bounded: the newest MAX_FLOWS flows stay startable; older ones are refused at callback.
        const marks = Object.entries(this.#flows);
        if (marks.length > MAX_FLOWS) this.#flows = Object.fromEntries(marks.sort(([, a], [, b]) => a.expiresAt - b.expiresAt).slice(-MAX_FLOWS));
        await this.storage.put("flows", this.#flows);
        await this.#schedule();
        return {};
      });
    }

    /** Finishes a flow: the callback, the exchange, then tokens stored. */
    async complete(key, callbackUrl, pending, redirectUri) {
      return rpc(async () => {
        const { provider, label, owner } = await this.#check(key, { bind: false });
        const client = this.#clientFor(provider, redirectUri);
        const callback = client.parseCallback(callbackUrl, pending);
        const mark = await sha256(callback.state);
        const flow = this.#flows[mark];
        if (!flow) throw new OAuthError("state_mismatch", "this connection started no such flow");
        if (flow.used) throw new OAuthError("replayed_callback", "this callback was already used");
        // Keys that cannot seal (a deploy since connect) are found before the
        // code is sent: no grant is made that could not be stored.
        await seal(this.#keys(), this.#key, {});
        flow.used = true;
        await this.storage.put("flows", this.#flows);
        const token = await client.exchangeCode(callback, pending);
        await this.onStep("exchanged");
        // Preset data: introspection names the token's company.
        if (client.oneTokenPerCompany) token.companyId = (await client.introspect(token)).companyId ?? null;
        const now = Date.now();
        const conn = this.#fresh(provider, label, owner, token, now, null);
        // Sealed before anything changes: keys that cannot seal leave memory and storage as they were.
        const tokens = plain(token);
        let sealed;
        try {
          sealed = await seal(this.#keys(), this.#key, tokens);
        } catch (error) {
          await this.#orphaned(client, tokens, { provider, label, owner });
          throw error;
        }
        this.#tokens = tokens;
        this.#generation++;
        await this.#save(conn, ["connected"], { tokens: sealed });
        await this.#schedule();
        if (client.oneTokenPerCompany && token.companyId) await this.#supersedeOthers(provider, token.companyId);
        return { status: this.#status() };
      });
    }

    /** The connection's state, without a secret. */
    async status(key) {
      return rpc(async () => {
        await this.#check(key, { bind: false });
        if (!this.#conn) throw new OAuthError("connection_not_found", "no such connection");
        return { status: this.#status() };
      });
    }

    /** An API call with the connection's token; `init`: { method, headers, body }.
     * The answer's body streams back (bounded in time by the client's timeout),
     * never read whole into this object's memory. */
    async fetchApi(key, path, init = {}) {
      return rpc(async () => {
        await this.#check(key, { bind: false });
        const response = await this.#call(path, init);
        // The provider's Content-Length where the body is passed as sent (not
        // content-encoded): a body cut at timeoutMs is then a short answer a
        // client detects, not one that looks whole.
        const passed = response.headers.has("content-encoding") ? PASSED_HEADERS : [...PASSED_HEADERS, "content-length"];
        return {
          status: response.status,
          headers: passed.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name)]] : [])),
          body: response.body,
        };
      });
    }

    /** Revokes at the provider where the preset can, deletes the tokens, tells. */
    async disconnect(key) {
      return rpc(async () => {
        const { provider } = await this.#check(key, { bind: false });
        if (!this.#conn || this.#conn.state === "disconnected") throw new OAuthError("connection_not_found", "no such connection");
        let revoked = false;
        try {
          const tokens = await this.#token();
          await this.#clientFor(provider).revoke(tokens);
          revoked = true;
        } catch {
          // No revocation endpoint (PayFit, Billit, …), or it failed: the
          // tokens are deleted here all the same.
        }
        await this.#end("user");
        return { revoked, status: this.#status() };
      });
    }

    /** PayFit: a newer connection for the same company took over. */
    async supersede(key) {
      return rpc(async () => {
        await this.#check(key, { bind: false });
        if (this.#conn && this.#conn.state !== "disconnected") await this.#end("superseded");
        return {};
      });
    }

    /** Company index objects: who holds the company's one token now. */
    async claim(indexKey, holder) {
      return rpc(async () => {
        await this.#check(indexKey, { bind: true, index: true });
        const previous = (await this.storage.get("holder")) ?? null;
        if (previous !== holder) await this.storage.put("holder", holder);
        return { previous: previous === holder ? null : previous };
      });
    }

    /** One alarm: flow marks, the event outbox, proactive refresh and backoff. */
    async alarm() {
      await this.#ready;
      const now = Date.now();
      const pruned = prune(this.#flows, now);
      if (Object.keys(pruned).length !== Object.keys(this.#flows).length) {
        this.#flows = pruned;
        await this.storage.put("flows", pruned);
      }
      await this.#flush();
      if (this.#conn && refreshNeeded(this.#conn, now, cfg.lifecycle)) {
        try {
          await this.#refresh((await this.#token()).accessToken);
        } catch {
          // Recorded in the connection's state and told as an event.
        }
      }
      await this.#schedule();
    }

    // ---- internals -------------------------------------------------------------

    /** The key must name this very object, and be the key it was bound to. */
    async #check(key, { bind, index = false }) {
      await this.#ready;
      const parsed = parseKey(key, index);
      const namespace = this.env[cfg.binding];
      if (!namespace || !namespace.idFromName(key).equals(this.ctx.id)) {
        throw new OAuthError("connection_not_found", "this object is not that connection");
      }
      if (this.#key === null && bind) {
        this.#key = key;
        await this.storage.put("key", key);
      }
      if (this.#key !== key) throw new OAuthError("connection_not_found", "no such connection");
      return parsed;
    }

    #keys() {
      return this.tokenKeys;
    }

    #clientFor(provider, redirectUri) {
      const options = cfg.providerOptions(this.env, provider);
      const fetch = (url, init) => (cfg.fetch ?? globalThis.fetch)(url, init);
      if (redirectUri) return new OAuthClient({ ...options, redirectUri, stateKey: this.env[cfg.stateKey], fetch });
      this.#client ??= new OAuthClient({ ...options, fetch });
      return this.#client;
    }

    /** A client of its own for one refresh: the Retry-After it reports is
     * the token endpoint's only, never an API answer's that landed meanwhile. */
    #refreshClient(provider, answered) {
      const fetch = (url, init) => (cfg.fetch ?? globalThis.fetch)(url, init).then((response) => {
        answered(parseRetryAfter(response.headers.get("retry-after"), Date.now()));
        return response;
      });
      return new OAuthClient({ ...cfg.providerOptions(this.env, provider), fetch });
    }

    /** The decrypted tokens, kept in memory: a warm call reads and writes nothing.
     * Kept only if no consent or end replaced them while they were read. */
    async #token() {
      for (;;) {
        if (this.#tokens) return this.#tokens;
        const generation = this.#generation;
        const sealed = await this.storage.get("tokens");
        if (!sealed) throw new OAuthError("connection_not_found", "this connection holds no tokens");
        const tokens = await open(this.#keys(), this.#key, sealed);
        if (generation === this.#generation) {
          this.#tokens = tokens;
          return tokens;
        }
      }
    }

    async #call(path, init) {
      const conn = this.#conn;
      if (!conn || conn.state === "disconnected") throw new OAuthError("connection_not_found", "no such connection");
      if (conn.state === "exhausted") throw new OAuthError("connection_exhausted", "the connection's grant is gone: the user must reconnect");
      const client = this.#clientFor(conn.provider);
      let token = await this.#token();
      if (this.#conn.inflight?.pending || (token.expiresAt != null && token.expiresAt <= Date.now())) {
        token = await this.#refreshForCall(token);
      }
      const method = String(init.method ?? "GET").toUpperCase();
      const request = () => client.fetchApi(token, path, { method, headers: init.headers, body: init.body });
      let response;
      try {
        response = await request();
      } catch (error) {
        if (error instanceof OAuthError && TOKEN_ERRORS.has(error.code) && !token.refreshToken) {
          // Nothing to refresh with: the connection ends only once the provider confirms.
          throw await this.#refused(client, token, error);
        } else if (error instanceof OAuthError && TOKEN_ERRORS.has(error.code)) {
          // Once: the provider refused the token, so a refresh, then one more try.
          token = await this.#refreshForCall(token);
          response = await request();
        } else if (error instanceof OAuthError && (error.code === "network_error" || error.code === "timeout") && IDEMPOTENT.has(method)) {
          response = await request();
        } else {
          throw error;
        }
      }
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"), Date.now());
      if (RETRY_STATUSES.has(response.status) && retryAfter !== null) {
        response.body?.cancel().catch(() => {});
        throw withRetryAfter(new OAuthError("rate_limited", `the API answered ${response.status}: retry after ${retryAfter} s`, { status: response.status }), retryAfter);
      }
      return response;
    }

    /** The API refused a token that has no refresh token (a never-expiring
     * token a provider revokes, say on an uninstall). Where the preset can introspect,
     * the connection ends only when introspection confirms the token is gone
     * (`active: false`, or introspection refuses the token itself): a
     * transient 401 never ends a token that never expires. Returns the error
     * to throw. */
    async #refused(client, token, error) {
      const generation = this.#generation;
      let gone;
      let code = error.code;
      try {
        gone = (await client.introspect({ ...token })).active === false;
        if (gone) code = "token_revoked";
      } catch (failure) {
        const cannot = failure instanceof OAuthError && failure.code === "unsupported_grant";
        gone = cannot || (failure instanceof OAuthError && TOKEN_ERRORS.has(failure.code));
        if (gone && !cannot) code = "token_revoked";
      }
      if (!gone) return error;
      if (generation !== this.#generation || !this.#conn || this.#conn.state === "disconnected") {
        return new OAuthError("connection_not_found", "the connection was disconnected meanwhile");
      }
      await this.#exhaust(code);
      return new OAuthError("connection_exhausted", `the provider refused the token for good (${code}): the user must reconnect`);
    }

    /** Ends the connection as exhausted with `code` as its cause; the tokens stay (the user reconnects). */
    async #exhaust(code) {
      const ended = nextState(this.#conn, { type: "token_refused", code, now: Date.now() }, cfg.lifecycle);
      await this.#save(ended.connection, ended.emit);
      await this.#schedule();
    }

    /** A refresh a call needs now; during backoff, the typed wait instead. */
    async #refreshForCall(token) {
      const conn = this.#conn;
      if (conn.state === "backoff" && !this.#refreshing && conn.nextAttemptAt > Date.now()) {
        const seconds = Math.ceil((conn.nextAttemptAt - Date.now()) / 1000);
        throw withRetryAfter(new OAuthError("connection_backoff", `refreshing failed; the next attempt is in ${seconds} s`), seconds);
      }
      return this.#refresh(token.accessToken);
    }

    /** Refreshes unless another caller already replaced `staleAccessToken`;
     * every concurrent caller shares one refresh. */
    #refresh(staleAccessToken) {
      if (this.#refreshing) return this.#refreshing;
      if (this.#tokens && this.#tokens.accessToken !== staleAccessToken && !this.#conn.inflight?.pending) {
        return Promise.resolve(this.#tokens);
      }
      this.#refreshing = this.#doRefresh(staleAccessToken).finally(() => {
        this.#refreshing = null;
      });
      return this.#refreshing;
    }

    async #doRefresh(staleAccessToken) {
      // Never within the floor of the last refresh, however this one started:
      // a call that needs it waits (at most refreshFloor seconds).
      const wait = refreshStartAt(this.#conn, Date.now(), cfg.lifecycle) - Date.now();
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        // Meanwhile a consent may have replaced the tokens this refresh was for.
        if (this.#tokens && this.#tokens.accessToken !== staleAccessToken && !this.#conn?.inflight?.pending) return this.#tokens;
      }
      let tokens = await this.#token();
      // The tokens and their generation, read together (a consent may land between).
      while (this.#tokens !== tokens) tokens = await this.#token();
      const generation = this.#generation;
      const conn = this.#conn;
      if (conn.state === "exhausted") throw new OAuthError("connection_exhausted", "the connection's grant is gone: the user must reconnect");
      if (!tokens.refreshToken) {
        // Its real cause: the token expired, and nothing can refresh it.
        await this.#exhaust("token_expired");
        throw new OAuthError("connection_exhausted", "the token expired and there is no refresh token: the user must reconnect");
      }
      let retryAfter = null;
      // Built before anything is recorded: options that do not build leave the state as it was.
      const client = this.#refreshClient(conn.provider, (seconds) => {
        retryAfter = seconds;
      });
      // Recorded before the request: a restart from here on knows a refresh
      // may have reached the provider.
      const started = nextState(conn, { type: "refresh_started", retry: Boolean(conn.inflight?.pending || conn.inflight?.retry), now: Date.now() }, cfg.lifecycle);
      await this.#save(started.connection, []);
      await this.onStep("before_request");
      if (generation !== this.#generation) {
        client.free();
        return this.#superseded(null);
      }
      let fresh;
      try {
        fresh = await client.refresh(tokens);
      } catch (error) {
        await this.onStep("answered");
        if (generation !== this.#generation) return this.#superseded(null);
        const code = error instanceof OAuthError ? error.code : "network_error";
        const failed = nextState(this.#conn, {
          type: "refresh_failed", code, retryAfter, now: Date.now(), random: random(),
        }, cfg.lifecycle);
        await this.#save(failed.connection, failed.emit);
        await this.#schedule();
        if (failed.connection.state === "exhausted") {
          throw new OAuthError("connection_exhausted", `the refresh failed for good (${failed.connection.cause}): the user must reconnect`);
        }
        throw error;
      } finally {
        client.free();
      }
      await this.onStep("answered");
      if (generation !== this.#generation) return this.#superseded(fresh);
      const now = Date.now();
      const merged = plain(fresh);
      const rotated = Boolean(merged.refreshToken) && merged.refreshToken !== tokens.refreshToken;
      if (!merged.refreshToken) merged.refreshToken = tokens.refreshToken;
      merged.companyId ??= tokens.companyId ?? null;
      const done = nextState(this.#conn, { type: "refresh_succeeded", now }, cfg.lifecycle);
      const conn2 = this.#fresh(conn.provider, conn.label, conn.owner, merged, now, done.connection, rotated);
      const sealed = await seal(this.#keys(), this.#key, merged);
      if (generation !== this.#generation) return this.#superseded(fresh);
      // The rotated refresh token is committed before any caller sees the new access token.
      await this.#save(conn2, done.emit, { tokens: sealed });
      if (generation === this.#generation) this.#tokens = merged;
      await this.onStep("written");
      await this.#schedule();
      return merged;
    }

    /** A refresh whose connection ended or got a new consent while it ran:
     * its answer is never stored and nothing is recorded. After a user's
     * disconnect its tokens are revoked where the preset can; after a new
     * consent or a supersede they are not (a provider that revokes every
     * token of the user and client would revoke the newer grant too). */
    async #superseded(fresh) {
      const conn = this.#conn;
      if (fresh && conn?.state === "disconnected" && conn.cause === "user") {
        try {
          await this.#clientFor(conn.provider).revoke(plain(fresh));
        } catch {
          // No revocation endpoint, or it failed: the tokens were never stored.
        }
      }
      if (!conn || conn.state === "disconnected") throw new OAuthError("connection_not_found", "the connection was disconnected during the refresh");
      return this.#token();
    }

    /** A grant made at the provider whose tokens could not be stored: revoked
     * where the preset can, and told (`grant_orphaned`, never the token). */
    async #orphaned(client, tokens, who) {
      let revoked = false;
      let revocable = true;
      try {
        await client.revoke(tokens);
        revoked = true;
      } catch (error) {
        revocable = !(error instanceof OAuthError && error.code === "unsupported_grant");
      }
      const message = revoked
        ? "the tokens could not be sealed (TOKEN_KEYS); the new grant was revoked at the provider"
        : revocable
          ? "the tokens could not be sealed (TOKEN_KEYS) and revoking the new grant failed: remove the grant at the provider"
          : "the tokens could not be sealed (TOKEN_KEYS) and this provider cannot revoke: remove the grant at the provider";
      console.warn(`partner-oauth/worker: grant_orphaned (${who.provider}): ${message}`);
      const [name, entry] = this.#eventEntry("grant_orphaned", { ...who, state: this.#conn?.state ?? null, cause: null, lastError: null }, Date.now(), { revoked, message });
      this.#outbox++;
      await this.storage.put(name, entry);
      await this.#flush();
      await this.#schedule();
    }

    /** The connection record for a token just stored. */
    #fresh(provider, label, owner, token, now, previous, rotated = true) {
      // The provider's own lifetime is preset data (Payout: 90 days).
      const lifetime = cfg.refreshTokenLifetime(this.env, provider) ?? this.#clientFor(provider).refreshTokenLifetime ?? null;
      const issuedAt = token.refreshToken ? (rotated || !previous ? now : previous.refreshTokenIssuedAt ?? now) : null;
      const refreshTokenExpiresAt = issuedAt != null && lifetime ? issuedAt + lifetime * 1000 : null;
      const base = previous ?? {
        provider, label, owner, connectedAt: now, failures: 0, cause: null, lastError: null, inflight: null, nextAttemptAt: null,
      };
      const conn = {
        ...base, state: "active", provider, label, owner, updatedAt: now,
        expiresAt: token.expiresAt ?? null, neverExpires: Boolean(token.neverExpires), hasRefreshToken: Boolean(token.refreshToken),
        refreshTokenIssuedAt: issuedAt, refreshTokenExpiresAt, companyId: token.companyId ?? null, scopes: token.scopes ?? [],
      };
      if (!previous) conn.connectedAt = now;
      // The lifetime as the provider gave it (expiresAt counts from the answer, a moment before now).
      const accessLifetime = token.expiresAt != null && token.obtainedAt ? token.expiresAt - token.obtainedAt : null;
      conn.refreshAt = refreshDueAt({ ...conn, issuedAt: now, lifetime: accessLifetime }, random(), cfg.lifecycle);
      return conn;
    }

    /** Ends the connection: tokens deleted, state disconnected, event told. */
    async #end(cause) {
      const { connection, emit } = nextState(this.#conn, { type: "disconnected", cause }, cfg.lifecycle);
      // Memory, then storage in one batch (no await between the two writes):
      // a refresh still in flight sees the end at once.
      this.#tokens = null;
      this.#generation++;
      const deleted = this.storage.delete("tokens");
      await this.#save({ ...connection, hasRefreshToken: false, refreshAt: null, updatedAt: Date.now() }, emit);
      await deleted;
      await this.#schedule();
    }

    async #supersedeOthers(provider, companyId) {
      const namespace = this.env[cfg.binding];
      // Four elements: no connection key (three) can name this object.
      const indexKey = JSON.stringify(["partner-oauth:index", "company", provider, companyId]);
      const index = namespace.get(namespace.idFromName(indexKey));
      const { previous } = unwrap(await index.claim(indexKey, this.#key));
      if (previous && previous !== this.#key) {
        unwrap(await namespace.get(namespace.idFromName(previous)).supersede(previous));
      }
    }

    /** Stores the connection, its events (and `extra` keys) in one write. */
    async #save(conn, emit, extra = {}) {
      this.#conn = conn;
      const entries = { conn, ...extra };
      const now = Date.now();
      for (const type of emit) {
        const [name, entry] = this.#eventEntry(type, conn, now);
        entries[name] = entry;
        this.#outbox++;
      }
      await this.storage.put(entries);
      if (emit.length) await this.#flush();
    }

    /** An event's storage name and entry (the stored shape: `event:<15-digit ms>:<uuid>`). */
    #eventEntry(type, conn, now, extra = {}) {
      const id = crypto.randomUUID();
      return [`event:${String(now).padStart(15, "0")}:${id}`, {
        event: {
          id, type, connection: this.ctx.id.toString(), provider: conn.provider, label: conn.label, owner: conn.owner,
          at: new Date(now).toISOString(), state: conn.state, cause: conn.cause ?? null, code: conn.lastError?.code ?? null, ...extra,
        },
        delivered: { hook: !cfg.onEvent, queue: !cfg.queue },
      }];
    }

    /** Delivers stored events (at least once); what fails stays for the alarm. */
    async #flush() {
      if (this.#outbox === 0) return;
      const pending = await this.storage.list({ prefix: "event:" });
      let left = 0;
      for (const [name, entry] of pending) {
        const delivered = { ...entry.delivered };
        if (!delivered.hook) {
          try { await cfg.onEvent(entry.event, this.env); delivered.hook = true; } catch { /* retried by the alarm */ }
        }
        if (!delivered.queue) {
          try { await cfg.queue(this.env, this).send(entry.event); delivered.queue = true; } catch { /* retried by the alarm */ }
        }
        if (delivered.hook && delivered.queue) await this.storage.delete(name);
        else {
          left++;
          if (delivered.hook !== entry.delivered.hook || delivered.queue !== entry.delivered.queue) await this.storage.put(name, { ...entry, delivered });
        }
      }
      this.#outbox = left;
    }

    async #schedule() {
      const now = Date.now();
      const at = nextAlarm(this.#conn, {
        flowExpiries: Object.values(this.#flows).map((f) => f.expiresAt),
        outboxPending: this.#outbox > 0, now,
      }, cfg.lifecycle);
      if (at === null) await this.storage.deleteAlarm();
      else await this.storage.setAlarm(at);
    }

    #status() {
      const c = this.#conn;
      return {
        provider: c.provider, label: c.label, state: c.state, cause: c.cause ?? null, lastError: c.lastError ?? null,
        failures: c.failures ?? 0, connectedAt: c.connectedAt ?? null, updatedAt: c.updatedAt ?? null,
        expiresAt: c.expiresAt ?? null, neverExpires: Boolean(c.neverExpires),
        nextRefreshAt: nextRefreshAt(c),
        refreshTokenIssuedAt: c.refreshTokenIssuedAt ?? null, refreshTokenExpiresAt: c.refreshTokenExpiresAt ?? null,
        companyId: c.companyId ?? null, scopes: c.scopes ?? [],
      };
    }
  }

  /** A connection of `owner` (already authenticated by you), for your own handlers. */
  function connection(env, owner, provider, label = "") {
    known(env, provider);
    const key = connectionKey(cfg, owner, provider, label);
    const stub = () => env[cfg.binding].get(env[cfg.binding].idFromName(key));
    return {
      key,
      status: async () => unwrap(await stub().status(key)).status,
      disconnect: async () => unwrap(await stub().disconnect(key)),
      /** `fetch` to the provider's API through the connection: a Response. */
      fetch: async (path, init = {}) => {
        const { method, headers, body } = await apiInit(init);
        const result = unwrap(await stub().fetchApi(key, path, { method, headers, body }));
        return new Response(nullBody(result.status) ? null : result.body, { status: result.status, headers: proxied(result.headers) });
      },
    };
  }

  /** Routes under `basePath` (default /connections):
   *   POST {base}/:provider/connect[?label=]     same origin only: 303 to the provider
   *   GET  {base}/:provider/callback             the provider's redirect back
   *   GET  {base}/:provider/status[?label=]      the connection's state, no secret
   *   POST {base}/:provider/disconnect[?label=]  same origin only
   *   ANY  {base}/:provider/api/…[?label=]       the provider's API through the connection
   * Anything else under no route: null from `handle`, 404 from `fetch`. */
  async function handle(request, env) {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(cfg.basePath + "/")) return null;
    const [provider, action, ...rest] = url.pathname.slice(cfg.basePath.length + 1).split("/");
    if (!ROUTES.has(action)) return null;
    const configured = cfg.providerNames(env).includes(provider);
    const clear = action === "callback" && configured ? clearCookie(provider) : null;
    try {
      known(env, provider);
      // Unsafe methods only from our own pages (RFC 6454 Origin, Fetch Metadata).
      if (!["GET", "HEAD"].includes(request.method) && !sameOrigin(request, cfg.origin(env, url))) {
        throw new OAuthError("cross_site_request", "this request must come from the app's own origin");
      }
      // The API route answers the app's own requests only: never a navigation
      // or another site's (the answer is the provider's content, on our origin).
      if (action === "api" && !ownRequest(request, cfg.origin(env, url))) {
        throw new OAuthError("cross_site_request", "the API route answers the app's own requests only: no navigation, no other site");
      }
      // A link or a navigation (GET, HEAD) never connects or disconnects.
      if ((action === "connect" || action === "disconnect") && request.method !== "POST") {
        throw new OAuthError("cross_site_request", `${action} is a POST from the app's own pages`);
      }
      const owner = await authenticated(cfg, request, env);
      const label = url.searchParams.get("label") ?? "";
      switch (action) {
        case "connect": return await connect(env, url, owner, provider, label);
        case "callback": return await callback(env, request, url, owner, provider, clear);
        case "status": return Response.json(await connection(env, owner, provider, label).status());
        case "disconnect": return Response.json(await connection(env, owner, provider, label).disconnect());
        default: {
          const query = new URLSearchParams(url.search);
          query.delete("label");
          const search = query.size ? `?${query}` : "";
          const init = { method: request.method, headers: pick(request.headers, ["content-type", "accept"]), body: ["GET", "HEAD"].includes(request.method) ? undefined : await readBody(request) };
          return await connection(env, owner, provider, label).fetch(`/${rest.join("/")}${search}`, init);
        }
      }
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      const headers = new Headers({ "content-type": "application/json" });
      if (clear) headers.append("set-cookie", clear);
      if (error.retryAfter != null) headers.set("retry-after", String(error.retryAfter));
      const status = error[REQUEST_TOO_LARGE] ? 413 : error.code === "rate_limited" && error.status ? error.status : HTTP_STATUS[error.code] ?? 400;
      return new Response(JSON.stringify({ error: error.code, message: error.message, ...(error.retryAfter != null && { retryAfter: error.retryAfter }) }), { status, headers });
    }
  }

  async function connect(env, url, owner, provider, label) {
    const key = connectionKey(cfg, owner, provider, label);
    // The whole configuration before the user leaves for the provider: a
    // grant made there must be storable here (keys that parse and seal).
    await seal(env[cfg.keys], key, {});
    const client = new OAuthClient({ ...cfg.providerOptions(env, provider), redirectUri: redirectUri(env, url, provider), stateKey: stateKey(env) });
    try {
      const extras = cfg.providerExtras(env, provider);
      const { url: authorize, state, pending } = client.startAuthorization({ scopes: extras.scopes, tokenKind: tokenKind(extras, url.searchParams.get("kind")), params: extras.params });
      const expiresAt = Date.now() + (cfg.providerOptions(env, provider).stateMaxAge ?? 600) * 1000;
      const stub = env[cfg.binding].get(env[cfg.binding].idFromName(key));
      unwrap(await stub.begin(key, { mark: await sha256(state), expiresAt }));
      const value = await sealCookie(stateKey(env), { o: await sha256(owner), v: provider, l: label, p: pending });
      return new Response(null, {
        status: 303,
        headers: { location: authorize, "set-cookie": `${cookieName(provider)}=${value}; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=${cfg.providerOptions(env, provider).stateMaxAge ?? 600}` },
      });
    } finally {
      client.free();
    }
  }

  async function callback(env, request, url, owner, provider, clear) {
    const raw = readCookie(request.headers.get("cookie"), cookieName(provider));
    if (!raw) throw new OAuthError("missing_pending", "no pending flow for this provider: start with a POST to connect");
    const flow = await openCookie(stateKey(env), raw);
    if (!flow) throw new OAuthError("invalid_pending", "the pending flow's cookie does not verify");
    // Each provider has its own callback path (RFC 9700 §4.4, mix-up).
    if (flow.v !== provider) throw new OAuthError("provider_mismatch", "this flow was started for another provider");
    if (!timingSafeEqual(flow.o, await sha256(owner))) {
      throw new OAuthError("owner_mismatch", "the flow was started by another user");
    }
    const key = connectionKey(cfg, owner, provider, flow.l);
    const stub = env[cfg.binding].get(env[cfg.binding].idFromName(key));
    unwrap(await stub.complete(key, url.toString(), flow.p, redirectUri(env, url, provider)));
    return new Response(null, { status: 303, headers: { location: cfg.returnTo(provider, flow.l), "set-cookie": clear } });
  }

  /** Unknown or unconfigured: the typed unknown_provider. */
  function known(env, provider) {
    if (!cfg.providerNames(env).includes(provider)) throw new OAuthError("unknown_provider", `no provider ${provider} is configured`);
  }

  function redirectUri(env, url, provider) {
    return `${cfg.origin(env, url)}${cfg.basePath}/${provider}/callback`;
  }

  function stateKey(env) {
    const key = env[cfg.stateKey];
    if (typeof key !== "string" || key.length < 32) throw new OAuthError("invalid_config", `${cfg.stateKey} must be a secret of at least 32 bytes`);
    return key;
  }

  return {
    Connection,
    connection,
    handle,
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
  const all = (env) => (typeof providers === "function" ? providers(env) : providers);
  const entry = (env, provider) => {
    const list = all(env);
    const found = Object.hasOwn(list, provider) ? list[provider] : null;
    if (!found) throw new OAuthError("unknown_provider", `no provider ${provider} is configured`);
    return found;
  };
  const queue = options.queue;
  const origin = options.origin;
  const returnTo = options.returnTo ?? "/";
  return {
    authenticate,
    binding: options.binding ?? "CONNECTIONS",
    keys: options.keys ?? "TOKEN_KEYS",
    stateKey: options.stateKey ?? "STATE_KEY",
    basePath: (options.basePath ?? "/connections").replace(/\/+$/, ""),
    onEvent: options.onEvent,
    onStep: options.onStep,
    fetch: options.fetch,
    lifecycle: { ...LIFECYCLE_DEFAULTS, ...options.lifecycle },
    queue: typeof queue === "string" ? (env) => env[queue] : queue,
    origin: (env, url) => (typeof origin === "function" ? origin(env) : origin) ?? url.origin,
    returnTo: typeof returnTo === "function" ? returnTo : () => returnTo,
    providerNames: (env) => Object.keys(all(env)),
    providerOptions: (env, provider) => {
      const options = { ...entry(env, provider), provider };
      for (const name of OURS) delete options[name];
      return options;
    },
    providerExtras: (env, provider) => entry(env, provider),
    refreshTokenLifetime: (env, provider) => entry(env, provider).refreshTokenLifetime ?? null,
  };
}

/** The object's name: a JSON array, so no two (owner, provider, label) collide. */
function connectionKey(cfg, owner, provider, label) {
  if (typeof owner !== "string" || owner.length === 0 || owner.length > 512) {
    throw new OAuthError("unauthenticated", "no owner for this connection");
  }
  if (typeof label !== "string" || label.length > 128) throw new OAuthError("invalid_argument", "a label is a string of at most 128 characters");
  return JSON.stringify([owner, provider, label]);
}

function parseKey(key, index) {
  let parsed;
  try {
    parsed = typeof key === "string" ? JSON.parse(key) : null;
  } catch {
    parsed = null;
  }
  const shape = index
    ? Array.isArray(parsed) && parsed.length === 4 && parsed[0] === "partner-oauth:index"
    : Array.isArray(parsed) && parsed.length === 3 && parsed.every((part) => typeof part === "string") && parsed[0] !== "";
  if (!shape || JSON.stringify(parsed) !== key) throw new OAuthError("connection_not_found", "not a connection key");
  const [owner, provider, label] = parsed;
  return { owner, provider, label };
}

/** The kind a connect asks for: `?kind=` only when the entry's `tokenKinds`
 * (default: just its `tokenKind`) lists it; else the configured one. */
function tokenKind(extras, asked) {
  const allowed = extras.tokenKinds ?? (extras.tokenKind == null ? [] : [extras.tokenKind]);
  if (!Array.isArray(allowed)) throw new OAuthError("invalid_config", "tokenKinds is a list of token kinds");
  return asked !== null && allowed.includes(asked) ? asked : extras.tokenKind;
}

async function authenticated(cfg, request, env) {
  let owner;
  try {
    owner = await cfg.authenticate(request, env);
  } catch {
    // Never the thrown text: it may quote a session token.
    throw new OAuthError("invalid_config", "authenticate threw: the request is refused");
  }
  if (owner === null || owner === undefined || owner === "") throw new OAuthError("unauthenticated", "sign in first");
  if (typeof owner !== "string") throw new OAuthError("invalid_config", "authenticate must resolve to a string or null");
  return owner;
}

function sameOrigin(request, expected) {
  const origin = request.headers.get("origin");
  if (origin !== null) return origin === expected;
  return request.headers.get("sec-fetch-site") === "same-origin";
}

/** Fetch Metadata and Origin where the browser sends them: not a navigation
 * (top-level or framed), not another site's request. A request with none of
 * them (not from a browser) passes. */
function ownRequest(request, expected) {
  const mode = request.headers.get("sec-fetch-mode");
  if (mode === "navigate" || mode === "nested-navigate") return false;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return false;
  const origin = request.headers.get("origin");
  return origin === null || origin === expected;
}

/** A provider's answer headers as we pass them: nosniff, a sandboxing CSP, and
 * an attachment unless it is JSON. */
function proxied(passed) {
  const headers = new Headers(passed);
  for (const [name, value] of Object.entries(PROXY_HEADERS)) headers.set(name, value);
  const json = /^\s*application\/([\w.-]+\+)?json\s*(;|$)/i.test(headers.get("content-type") ?? "");
  if (!json && !/^\s*attachment\s*(;|$)/i.test(headers.get("content-disposition") ?? "")) headers.set("content-disposition", "attachment");
  return headers;
}

/** RPC answers are plain data: { error } crosses the boundary, and becomes an OAuthError again here. */
async function rpc(body) {
  try {
    return await body();
  } catch (error) {
    if (error instanceof OAuthError) {
      return { error: { code: error.code, message: error.message, status: error.status, retryAfter: error.retryAfter } };
    }
    throw error;
  }
}

function unwrap(result) {
  if (result?.error) {
    const { code, message, status, retryAfter } = result.error;
    throw withRetryAfter(new OAuthError(code, message, { status }), retryAfter);
  }
  return result;
}

function withRetryAfter(error, retryAfter) {
  if (retryAfter != null) error.retryAfter = retryAfter;
  return error;
}

function plain(token) {
  const { accessToken, tokenType, expiresAt, neverExpires, refreshToken, scopes, extra, obtainedAt, companyId } = token;
  return { accessToken, tokenType, expiresAt, neverExpires, refreshToken, scopes, extra, obtainedAt, companyId: companyId ?? null };
}

/** When the connection refreshes next; never in the past while it lives (a
 * refresh that is due is due now). */
function nextRefreshAt(c) {
  const at = c.state === "exhausted" || c.state === "disconnected" ? null : c.state === "backoff" ? c.nextAttemptAt : c.refreshAt;
  return at == null ? null : Math.max(at, Date.now());
}

function prune(flows, now) {
  return Object.fromEntries(Object.entries(flows).filter(([, flow]) => flow.expiresAt > now));
}

function random() {
  return crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32;
}

const nullBody = (status) => status === 204 || status === 205 || status === 304;

/** The request's body, streamed, refused past REQUEST_BODY_LIMIT bytes
 * (before reading when Content-Length says so). */
async function readBody(request) {
  const tooLarge = () => Object.assign(new OAuthError("input_too_large", "the request body is larger than 1 MiB"), { [REQUEST_TOO_LARGE]: true });
  if (Number(request.headers.get("content-length") ?? 0) > REQUEST_BODY_LIMIT) throw tooLarge();
  if (!request.body) return undefined;
  return (await readCapped(request.body, REQUEST_BODY_LIMIT, tooLarge)).arrayBuffer();
}

/** connection().fetch's init as plain data, or invalid_argument (never the
 * runtime's TypeError, which may quote a header's value). */
async function apiInit(init) {
  const given = init !== null && typeof init === "object" ? init : {};
  const method = given.method ?? "GET";
  if (typeof method !== "string" || !METHOD.test(method)) throw new OAuthError("invalid_argument", "init.method must be an HTTP method name");
  let headers;
  try {
    headers = Object.fromEntries(new Headers(given.headers ?? {}));
  } catch {
    throw new OAuthError("invalid_argument", "init.headers holds a header name or value that is not valid (CR, LF, NUL or non-Latin-1)");
  }
  const raw = given.body;
  if (raw == null) return { method, headers, body: undefined };
  if (["GET", "HEAD"].includes(method.toUpperCase())) throw new OAuthError("invalid_argument", `a ${method.toUpperCase()} request has no body`);
  if (typeof raw === "string") return { method, headers, body: raw };
  const bodyLike = raw instanceof ArrayBuffer || ArrayBuffer.isView(raw) || raw instanceof Blob || raw instanceof ReadableStream
    || raw instanceof URLSearchParams || raw instanceof FormData;
  if (!bodyLike) throw new OAuthError("invalid_argument", "init.body must be a string, bytes, a Blob, a stream, URLSearchParams or FormData");
  try {
    return { method, headers, body: await new Response(raw).arrayBuffer() };
  } catch {
    throw new OAuthError("invalid_argument", "init.body could not be read");
  }
}

function pick(headers, names) {
  return Object.fromEntries(names.flatMap((name) => (headers.has(name) ? [[name, headers.get(name)]] : [])));
}

async function sha256(text) {
  return toBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

const cookieName = (provider) => `__Host-partner-oauth-${provider}`;
const clearCookie = (provider) => `${cookieName(provider)}=; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=0`;

async function macKey(secret) {
  return crypto.subtle.importKey("raw", new TextEncoder().encode(`partner-oauth/worker cookie\0${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

async function sealCookie(secret, value) {
  const body = toBase64url(new TextEncoder().encode(JSON.stringify(value)));
  const mac = await crypto.subtle.sign("HMAC", await macKey(secret), new TextEncoder().encode(body));
  return `${body}.${toBase64url(new Uint8Array(mac))}`;
}

/** The cookie's value, or null when its MAC does not verify (checked in constant time by WebCrypto). */
async function openCookie(secret, raw) {
  const [body, mac, more] = raw.split(".");
  const macBytes = mac && fromBase64url(mac);
  if (more !== undefined || !body || !macBytes) return null;
  if (!(await crypto.subtle.verify("HMAC", await macKey(secret), macBytes, new TextEncoder().encode(body)))) return null;
  try {
    const value = JSON.parse(new TextDecoder().decode(fromBase64url(body)));
    return typeof value?.o === "string" && typeof value.v === "string" && typeof value.l === "string" && typeof value.p === "string" ? value : null;
  } catch {
    return null;
  }
}

function readCookie(header, name) {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

function timingSafeEqual(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
