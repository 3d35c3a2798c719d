// The Durable Object: one per connection (owner × provider × label). It owns
// the connection's tokens from consent to disconnect. Lifecycle decisions
// are lifecycle.js's: each step asks it (`transition` for every change,
// `canCall`, `shouldRefresh`, … for every question), hands the result to the
// store (worker-store.js) and acts on it. What this file decides is I/O: the
// provider's answers, sealing, and the order of awaits (CONTRIBUTING.md, "Worker storage").
import { DurableObject } from "cloudflare:workers";
import { OAuthClient } from "./workerd.js";
import { singleFlight } from "./refresher.js";
import { OAuthError } from "__OAUTH_ERROR__";
import { seal, open } from "./sealed.js";
import { rewrapOnce } from "./worker-rewrap.js";
import { REASON, recordUnsent, transition, canCall, mustRefresh, mayRefreshNow } from "./lifecycle.js";
import { shouldRefresh, shouldRewrap, isLive, statusOf, holdsCompany } from "./lifecycle.js";
import { Store } from "./worker-store.js";
import { rpc, withRetryAfter, parseKey, random } from "./worker-rpc.js";
import { indexKind, indexOp, supersedeOthers, releaseMoved, withOwners } from "./worker-index.js";
import { callApi, disconnectGrant, asDisconnect, endFlows, isHold, refusedForGood, settled } from "./worker-call.js";
import { completeFlow } from "./worker-consent.js";
import { refreshOnce, refreshClient, replaced, EXHAUSTED } from "./worker-refresh.js";

/** Flows one connection keeps open at once (each mark ~80 bytes stored). */
const MAX_FLOWS = 32;

/** The Durable Object class over the configuration `cfg` (worker.js's configure). */
export function connectionClass(cfg) {
  return class Connection extends DurableObject {
    #key = null;
    /** `{ conn, flows }`: what lifecycle.js's transition reads and returns. */
    #record = { conn: null, flows: {} };
    #store;
    #tokens = null;
    #client = null;
    #refreshing = new Map();
    #disconnects = new Set(); // sent, not yet answered (disconnectGrant): a consent's exchange waits for them
    #exchanges = new Set(); // consents exchanging or storing (completeFlow): a disconnect answers after them (review 89)
    /** Bumped whenever the tokens are replaced (a consent) or deleted (an end):
     * a refresh answered for an older generation is discarded. */
    #generation = 0;
    /** Bumped whenever tokens are written or deleted: a re-wrap re-sealed what it read only if none was meanwhile. */
    #writes = 0;
    #ready;

    constructor(ctx, env) {
      super(ctx, env);
      const delivery = { onEvent: cfg.onEvent, queue: cfg.queue, env: () => this.env, object: this };
      this.#store = new Store(() => this.storage, ctx.id.toString(), withOwners(cfg, delivery), cfg.lifecycle);
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

    /** Called at `before_request`, `answered` and `written` of a refresh, at
     * `exchanged` of a callback (the code exchanged, the tokens not yet sealed),
     * and at `resealed` of a re-wrap (the tokens re-sealed, not yet written). */
    async onStep(name) {
      await cfg.onStep?.(name, this);
    }

    async #load() {
      const { key, record } = await this.#store.load();
      this.#key = key;
      this.#record = record;
      // Restarted with a refresh in flight: its outcome is unknown (a no-op otherwise). Its events wait for the
      // outbox's alarm: told here, an onEvent that calls this object would wait on its construction (review 99).
      await this.#commit({ type: "restarted", now: Date.now() }, null, null, true);
    }

    /** The one way the record changes: the reducer's result, in memory at once, then stored. */
    async #commit(event, sealed = null, written = null, defer = false) {
      const result = cfg.points.observe(this.env, event, transition(this.#record, event, cfg.lifecycle)); // metrics
      this.#record = result.record;
      if (result.changed.tokens) this.#writes++;
      await this.#store.apply(result, sealed, written, defer);
      return result.record.conn;
    }

    get #conn() {
      return this.#record.conn;
    }

    // ---- RPC methods; each takes the connection's key first -----------------

    /** Records a flow this connection started: single use, until it expires. */
    async begin(key, flow) {
      return rpc(async () => {
        await this.#check(key, { bind: true });
        const { mark, expiresAt } = flow;
        await this.#commit({ type: "flow_begun", mark, expiresAt, now: Date.now(), maxFlows: MAX_FLOWS });
        return {};
      });
    }

    /** Finishes a flow: the callback, the exchange, then tokens stored (worker-consent.js). */
    async complete(key, callbackUrl, pending, redirectUri) {
      return rpc(async () => {
        const who = await this.#check(key, { bind: false });
        await completeFlow(this.#consentPort(who.provider, redirectUri), who, callbackUrl, pending);
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
     * The answer's body streams back, never read whole into this object's memory. */
    async fetchApi(key, path, init = {}) {
      return rpc(async () => {
        await this.#check(key, { bind: false });
        return callApi(this.#api(), path, init);
      });
    }

    /** Ends its flows, revokes at the provider where the preset can, deletes the tokens, tells (disconnectGrant). */
    async disconnect(key) {
      return rpc(async () => {
        await this.#check(key, { bind: false });
        const port = this.#refreshPort();
        if (!isLive(this.#conn)) return asDisconnect(port, () => endFlows(port, false));
        // Its flows ended as it was sent (disconnectGrant): a consent begun since lands after it. Its end reaches
        // the owner index in order, with its other events (a write of its own undercounted: review 94).
        const end = () => this.#end({ type: "disconnected", cause: "user", flowsEnded: true });
        const revoked = await disconnectGrant(port, end, this.#refreshing);
        if (revoked === null) return endFlows(port, true); // superseded meanwhile
        return { revoked, status: this.#status() };
      });
    }

    /** A newer connection for `companyId` took over (one token per company); only
     * if this connection still holds that company (the index may be stale). */
    async supersede(key, companyId) {
      return rpc(async () => {
        await this.#check(key, { bind: false });
        if (holdsCompany(this.#conn, companyId).should) await this.#end({ type: "superseded" });
        return {};
      });
    }

    /** Index objects only (worker-index.js): a company's one holder, or an owner's connections. */
    async index(name, op, ...args) {
      return rpc(async () => {
        const kind = indexKind(name);
        if (!kind) throw new OAuthError("connection_not_found", "this object is no index");
        await this.#check(name, { bind: op !== "release", index: kind });
        return indexOp(() => this.storage, name, op, args);
      });
    }

    /** One alarm: flow marks, the event outbox, proactive refresh and backoff, the re-wrap. */
    async alarm() {
      await this.#ready;
      const now = Date.now();
      await this.#commit({ type: "flows_expired", now });
      await this.#store.flush();
      if (shouldRefresh(this.#conn, now, cfg.lifecycle).should) {
        const before = this.#conn;
        try {
          await this.#refresh((await this.#token()).accessToken);
        } catch (error) {
          // Recorded in the connection's state and told as an event. A refresh
          // that failed before it started (keys that cannot open the tokens, a
          // provider no longer configured) recorded nothing: it is recorded
          // here, or the alarm, due still, would run again at once.
          if (recordUnsent(before, this.#conn).should) {
            const code = error instanceof OAuthError ? error.code : "network_error";
            await this.#commit({ type: "refresh_failed", code, retryAfter: null, now: Date.now(), random: random(), started: false });
          }
        }
      }
      if (shouldRewrap(this.#conn, now).should) await rewrapOnce(this.#rewrapPort());
      await this.#commit({ type: "forecast", now: Date.now() }); // reconnect_due, once per grant, when due
      await this.#store.schedule(this.#record);
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
        await this.#store.bind(key);
      }
      if (this.#key !== key) throw new OAuthError("connection_not_found", "no such connection");
      return parsed;
    }

    #clientFor(provider, redirectUri) {
      const options = cfg.providerOptions(this.env, provider);
      const fetch = (url, init) => (cfg.fetch ?? globalThis.fetch)(url, init);
      if (redirectUri) return new OAuthClient({ ...options, redirectUri, stateKey: this.env[cfg.stateKey], fetch });
      this.#client ??= new OAuthClient({ ...options, fetch });
      return this.#client;
    }

    /** What the reducer reads of tokens just sealed: no secret. */
    #tokenFacts(provider, tokens, sealed) {
      // The refresh token's lifetime: the entry's, else the preset's (`refreshTokenLifetime`).
      const lifetime = cfg.refreshTokenLifetime(this.env, provider) ?? this.#clientFor(provider).refreshTokenLifetime ?? null;
      const { expiresAt, neverExpires, refreshToken, companyId, scopes, obtainedAt } = tokens;
      const token = { expiresAt, neverExpires, refreshToken: Boolean(refreshToken), companyId, scopes, obtainedAt };
      return { token, lifetime, ...cfg.grant(this.env, provider), keyId: sealed.k, now: Date.now(), random: random() };
    }

    /** The decrypted tokens, kept in memory: a warm call reads and writes nothing.
     * Kept only if no consent or end replaced them while they were read. */
    async #token() {
      for (;;) {
        if (this.#tokens) return this.#tokens;
        const generation = this.#generation;
        const sealed = await this.#store.sealedTokens();
        if (!sealed) throw new OAuthError("connection_not_found", "this connection holds no tokens");
        const tokens = await open(this.tokenKeys, this.#aad(), sealed);
        // ??=: tokens a refresh kept while this read awaited are newer.
        if (generation === this.#generation) return (this.#tokens ??= tokens);
      }
    }

    /** The tokens' additional data: new seals use the first, the connection's key and this object's id (a
     * ciphertext copied into the same-named object of another namespace does not open there); the second, the
     * key alone, opens values sealed before review 24, re-sealed at their next write or re-wrap. */
    #aad() {
      return [JSON.stringify([this.#key, this.ctx.id.toString()]), this.#key];
    }

    /** What worker-call.js needs of this object for one API call. */
    #api() {
      const allowed = canCall(this.#conn);
      if (allowed.reason === REASON.exhausted) throw new OAuthError("connection_exhausted", EXHAUSTED);
      if (!allowed.should) throw new OAuthError("connection_not_found", "no such connection");
      const client = this.#clientFor(this.#conn.provider);
      // Expiry is the core's (isExpired), with a skew of 0: the alarm refreshes
      // refreshAhead s ahead, a call only what has expired (a 60 s skew would
      // refresh a token shorter-lived than that on every call), and a token
      // refused in flight is refreshed and sent once more.
      return {
        client: cfg.budgeted(client, this.env, this.#conn, this), // the application's rate budget first
        token: () => this.#token(),
        mustRefresh: (token) => mustRefresh(this.#conn, client.isExpired(token, 0)).should,
        refresh: (token, refused) => this.#refreshForCall(token, refused),
        refused: (token, error) => this.#refused(client, token, error),
        // The current token's only, while active: a refusal of an older one retries with it (replaced()); one
        // while a refresh is in flight shares that; one in a backoff waits.
        refusedRefreshAt: (token) => {
          const current = token.accessToken === this.#tokens?.accessToken && this.#refreshing.size === 0;
          return current && this.#conn.state === "active" ? this.#conn.refusedRefreshAt ?? null : null;
        },
      };
    }

    /** The API refused a token that has no refresh token: the connection ends
     * only when introspection confirms it is gone (never where the preset
     * cannot introspect). Returns the error to throw. */
    async #refused(client, token, error) {
      const generation = this.#generation;
      if (!(await refusedForGood(client, token))) return error;
      if (generation !== this.#generation || !isLive(this.#conn)) {
        return new OAuthError("connection_not_found", "the connection was disconnected meanwhile");
      }
      const ended = await this.#commit({ type: "token_refused", now: Date.now() });
      return new OAuthError("connection_exhausted", `the provider refused the token for good (${ended.cause}): the user must reconnect`);
    }

    /** A refresh a call needs now; during backoff, the typed wait instead. */
    async #refreshForCall(token, refused = false) {
      const may = mayRefreshNow(this.#conn, Date.now(), this.#refreshing.size > 0);
      if (may.reason === REASON.backoff) {
        throw withRetryAfter(new OAuthError("connection_backoff", `refreshing failed; the next attempt is in ${may.wait} s`), may.wait);
      }
      if (may.reason === REASON.exhausted) throw new OAuthError("connection_exhausted", EXHAUSTED);
      return this.#refresh(token.accessToken, refused);
    }

    /** Refreshes unless another caller already replaced `staleAccessToken`;
     * every concurrent caller shares one refresh. `refused`: a call's refused token asked for it. */
    async #refresh(staleAccessToken, refused = false) {
      // A disconnect holds the slot while it revokes: wait for it, then refresh as the connection then is.
      while (isHold(this.#refreshing.get("refresh"))) await this.#refreshing.get("refresh");
      if (!this.#refreshing.has("refresh") && replaced(this.#refreshPort(), staleAccessToken)) return this.#tokens;
      const run = () => refreshOnce(this.#refreshPort(true), staleAccessToken, refused);
      // Its events are told once the slot is free: an onEvent may disconnect, which waits for the slot (review 92 A).
      return singleFlight(this.#refreshing, "refresh", run).finally(() => this.#store.release());
    }

    /** What a refresh (worker-refresh.js; `defer`: its commits' events wait for `release`) and a disconnect
     * (disconnectGrant) need of this object. */
    #refreshPort(defer = false) {
      return {
        lifecycle: cfg.lifecycle,
        conn: () => this.#conn,
        tokens: () => this.#tokens,
        generation: () => this.#generation,
        disconnecting: () => this.#refreshing.has("disconnect"),
        disconnects: this.#disconnects,
        exchanges: this.#exchanges,
        token: () => this.#token(),
        commit: (event, sealed, written) => this.#commit(event, sealed, written, defer),
        onStep: (name) => this.onStep(name),
        client: (provider) => refreshClient(cfg.providerOptions(this.env, provider), cfg.fetch),
        seal: (tokens) => seal(this.tokenKeys, this.#aad()[0], tokens),
        tokenFacts: (provider, tokens, sealed) => this.#tokenFacts(provider, tokens, sealed),
        keepRefreshed: (tokens) => void (this.#tokens = tokens), // the same grant: no new generation
        revoke: (tokens) => this.#clientFor(this.#conn.provider).revoke(tokens),
        random,
      };
    }

    /** What a re-wrap (worker-rewrap.js) needs of this object. */
    #rewrapPort() {
      return {
        conn: () => this.#conn,
        writes: () => this.#writes,
        refreshing: () => this.#refreshing.size > 0,
        tokenKeys: () => this.tokenKeys,
        aad: () => this.#aad(),
        sealedTokens: () => this.#store.sealedTokens(),
        onStep: (name) => this.onStep(name),
        commit: (event, sealed) => this.#commit(event, sealed),
      };
    }

    /** What a consent (worker-consent.js) needs of this object. */
    #consentPort(provider, redirectUri) {
      return {
        client: this.#clientFor(provider, redirectUri),
        record: () => this.#record,
        disconnected: () => settled(this.#disconnects),
        exchanges: this.#exchanges,
        commit: (event, sealed, written) => this.#commit(event, sealed, written),
        onStep: (name) => this.onStep(name),
        seal: (tokens) => seal(this.tokenKeys, this.#aad()[0], tokens),
        tokenFacts: (tokens, sealed) => this.#tokenFacts(provider, tokens, sealed),
        // Memory takes a consent's tokens in the same tick as their write.
        replaceTokens: (tokens) => {
          this.#tokens = tokens;
          this.#generation++;
        },
        tell: (told, who) => this.#store.tell("grant_orphaned", who, told, this.#record),
        supersedeOthers: (companyId) => supersedeOthers(this.env[cfg.binding], this.#key, provider, companyId),
        released: (before) => this.#released(before),
      };
    }

    /** Ends the connection (a disconnect or a supersede): tokens deleted, told. */
    async #end(event) {
      if (!isLive(this.#conn)) return;
      const before = this.#conn;
      // Memory first: a refresh still in flight sees the end at once.
      this.#tokens = null;
      this.#generation++;
      await this.#commit({ ...event, now: Date.now() });
      await this.#released(before);
    }

    /** `before` held a company this connection no longer holds: its index entry, if still ours, is cleared. */
    async #released(before) {
      await releaseMoved(this.env[cfg.binding], this.#key, before, this.#conn, (provider) => this.#clientFor(provider));
    }

    #status() {
      return statusOf(this.#conn, Date.now(), cfg.lifecycle);
    }
  };
}
