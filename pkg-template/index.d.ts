// Types of the partner-oauth package. Hand-written: wasm-bindgen would type
// every option as `any`.

/**
 * OAuth 2.0 clients for PayFit, Payout, Factorial, TropiPay, Billit and any
 * RFC 6749 provider: browsers and bundlers, Cloudflare Workers (workerd) and
 * Node load the same WebAssembly module. Requests go through the `fetch` you
 * give; every failure is an {@link OAuthError} with a stable {@link ErrorCode}.
 *
 * @module partner-oauth
 */

// <generated> by tests/contracts.rs from the Rust declarations: edit those, then run `BLESS=1 cargo test --test contracts`
/** A preset's name: one of the partners, or `custom` (any RFC 6749 provider described by `endpoints` and `preset`). */
export type Provider = "payfit" | "payout" | "factorial" | "tropipay" | "billit" | "custom";

/** The environments each preset knows; the first listed is the default. */
export type Environment<P extends Provider = Provider> =
  P extends "payfit" ? "production"
  : P extends "payout" ? "production" | "sandbox" | "production-id" | "sandbox-id"
  : P extends "factorial" ? "production" | "demo"
  : P extends "tropipay" ? "production" | "sandbox"
  : P extends "billit" ? "production" | "sandbox"
  : P extends "custom" ? "default"
  : never;

/** Token kinds a preset can ask for with `tokenKind` (factorial: company, user); the first is the default. */
export type TokenKind = "company" | "user";

/**
 * Every {@link OAuthError.code}, stable across versions. The README's
 * "Errors" table says when each is thrown; {@link errorCodes} lists them at
 * run time.
 */
export type ErrorCode =
  | "invalid_config" | "unknown_provider" | "unknown_environment" | "missing_endpoint"
  | "invalid_redirect_uri" | "invalid_argument" | "unsupported_grant" | "secret_in_browser"
  | "random_unavailable" | "input_too_large" | "invalid_pending" | "provider_mismatch"
  | "invalid_state" | "state_mismatch" | "state_expired" | "invalid_callback" | "missing_code"
  | "access_denied" | "authorization_error" | "issuer_mismatch" | "invalid_grant" | "invalid_client"
  | "token_error" | "invalid_token" | "token_expired" | "token_revoked" | "http_error"
  | "invalid_response" | "network_error" | "timeout" | "invalid_jwt" | "algorithm_not_allowed"
  | "key_not_found" | "invalid_signature" | "token_not_yet_valid" | "audience_mismatch"
  | "insufficient_scope" | "unexpected_redirect" | "unauthenticated" | "cross_site_request"
  | "connection_not_found" | "connection_exhausted" | "connection_backoff" | "rate_limited"
  | "vault_key_error" | "missing_pending" | "replayed_callback" | "owner_mismatch"
  | "too_many_connections";
// </generated>

/**
 * Every error the package throws or rejects with: branch on `code`, never on
 * the message. Messages never hold a secret. An error from a token endpoint
 * keeps the provider's RFC 6749 §5.2 `error` and `error_description` as
 * `providerCode` and `providerMessage`.
 */
export declare class OAuthError extends Error {
  readonly name: "OAuthError";
  readonly code: ErrorCode;
  /** HTTP status, for errors from an exchange or API call. */
  readonly status?: number;
  /** The provider's own error code (`error`, Billit's `Code`). */
  readonly providerCode?: string;
  /** The provider's own description, cut to 256 characters. */
  readonly providerMessage?: string;
  /** Up to 200 characters of the response body, every secret removed. */
  readonly bodyExcerpt?: string;
  /** `network_error`: the origin (scheme, host, port) the request went to; never a path or query. */
  readonly url?: string;
  /** `network_error`: the runtime's own error (and its causes), every secret removed. */
  readonly cause?: unknown;
  /**
   * True when the provider's answer means the access token was refused
   * (`invalid_token`, `token_expired`, `token_revoked`): refresh it and retry
   * once. Absent otherwise.
   */
  readonly refreshAndRetry?: boolean;
  /**
   * Seconds to wait before trying again, from the answer's `Retry-After`
   * (an exchange refused with one: a 503 or a 429, most often), a day at most.
   * `partner-oauth/worker`'s `connection_backoff` and `rate_limited` carry it
   * too.
   */
  readonly retryAfter?: number;
  /** For your own code and tests (e.g. a fake `fetch`); the package builds its own. */
  constructor(code: ErrorCode, message: string, details?: {
    status?: number; providerCode?: string; providerMessage?: string; bodyExcerpt?: string; url?: string; cause?: unknown;
    refreshAndRetry?: boolean;
  });
}

/** Endpoint URLs; each one given here replaces the preset's. */
export interface Endpoints {
  /** The authorization endpoint (RFC 6749 §3.1). */
  authorize?: string;
  /** The token endpoint (RFC 6749 §3.2). */
  token?: string;
  /** The introspection endpoint (RFC 7662 §2). */
  introspect?: string;
  /** The revocation endpoint (RFC 7009 §2). */
  revoke?: string;
  /** Base URL of the provider's API, for `fetchApi`. */
  api?: string;
}

/** What a preset supports: the grants of RFC 6749 §4.1, §6 and §4.4, plus introspection (RFC 7662) and revocation (RFC 7009). */
export type Grant = "authorization_code" | "refresh_token" | "client_credentials" | "introspection" | "revocation";

/** A preset's quirks; for the custom preset, its whole description. */
export interface PresetOverrides {
  /** What the client may do; anything else is `unsupported_grant`. */
  grants?: Grant[];
  /** Send `response_type=code` (Billit's Logon URL takes none). */
  responseType?: boolean;
  /** Joins scopes in the authorize URL (PayFit: ","). */
  scopeSeparator?: string;
  /** PKCE (RFC 7636): "required" and "supported" send an S256 challenge; "unsupported" sends none. */
  pkce?: "required" | "supported" | "unsupported";
  /** Fixed extra parameters on every authorize URL. */
  authorizeParams?: Record<string, string>;
  /** Where the client secret goes (RFC 6749 §2.3.1): the request body, or HTTP Basic. */
  clientAuth?: "body" | "basic";
  /** "query" puts the client secret in a URL: only when a provider demands it. */
  tokenBody?: "form" | "json" | "query";
  /** Callback parameters that carry the code, in order of preference. */
  codeParams?: string[];
  /** Whether `redirectUri` may carry its own query (Billit: no). */
  redirectUriQueryAllowed?: boolean;
  /** Tokens never expire unless the answer says otherwise (PayFit). */
  neverExpires?: boolean;
  /** Seconds assumed when a token response gives no expiry. */
  defaultLifetime?: number;
  /** Seconds a refresh token lasts (Payout: 90 days, Factorial user tokens: 7), so it is refreshed before then. */
  refreshTokenLifetime?: number;
  /** "rfc7662": a form POST with client authentication; "bearer_json": PayFit's, the token as Bearer and a JSON body. */
  introspection?: "rfc7662" | "bearer_json";
  /** Expected `iss` on every callback (RFC 9207): a callback without one is refused. */
  issuer?: string;
}

/** The `fetch` the exchanges call: `globalThis.fetch` or anything shaped like it. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Options of {@link OAuthClient}. Unknown names are refused
 * (`invalid_config`), so a typo cannot pass silently.
 */
export interface ClientOptions<P extends Provider = Provider> {
  /** The preset. */
  provider: P;
  /** Default: the preset's first. */
  environment?: Environment<P>;
  /** 1–512 characters, no control characters. */
  clientId: string;
  /** Server side only: throws `secret_in_browser` in a page with a DOM. */
  clientSecret?: string;
  /** `https`, or `http` on a loopback host; no fragment, no credentials. Required to start a flow. */
  redirectUri?: string;
  /** ≥ 32 bytes each. Signs state and seals `pending`; the first signs, any verifies. Server side only: throws `secret_in_browser` in a page with a DOM. */
  stateKey?: string | string[];
  /** Seconds from start to callback; default 600 (1–86 400). */
  stateMaxAge?: number;
  /** Endpoint URLs overriding the preset's. */
  endpoints?: Endpoints;
  /** Quirk overrides; the custom preset's whole description. */
  preset?: PresetOverrides;
  /** Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Per exchange; default 10 000. Outside 1–300 000, or NaN/Infinity: `invalid_config`. */
  timeoutMs?: number;
  /** Tests only. */
  dangerouslyAllowSecretInBrowser?: boolean;
}

/** Options of {@link OAuthClient.startAuthorization}. */
export interface StartOptions {
  /** Joined with the preset's separator (RFC 6749 §3.3); at most 100. */
  scopes?: string[];
  /** Carried in `state`: signed only when the client has a stateKey (a page has none), never encrypted. ≤ 2048 bytes. */
  payload?: string;
  /** Factorial's token kind; other presets have none. */
  tokenKind?: TokenKind;
  /** Extra authorize parameters (e.g. `prompt`). A name already sent (by the library, the preset, `authorizeParams` or a token kind), in any casing, is refused: `invalid_argument` (RFC 6749 §3.1). */
  params?: Record<string, string>;
}

/** @hidden */
declare const pendingBrand: unique symbol;
/** Opaque: store it (HttpOnly cookie, sessionStorage) and hand it back. Holds the PKCE verifier. */
export type Pending = string & { readonly [pendingBrand]: true };

/** A started flow: where to send the user, and what the callback needs. */
export interface Started {
  /** The authorization request (RFC 6749 §4.1.1) to send the user to. */
  url: string;
  /** The `state` in `url` (RFC 6749 §10.12). */
  state: string;
  /** Keep it until the callback; single use. */
  pending: Pending;
  /** Names this flow: the `flowId` its callback's result will carry. */
  flowId: string;
  /** When the flow expires (ms since the epoch; its callback is refused from then on): its callback's `flowExpiresAt`. */
  flowExpiresAt: number;
}

/** A callback that passed every check. */
export interface CallbackResult {
  /** The authorization code: a secret, single use. */
  code: string;
  /** The callback's `state`, equal to the flow's. */
  state: string;
  /** The payload given to `startAuthorization`, or null. */
  payload: string | null;
  /**
   * True only when the client has a `stateKey`, so the pending value was
   * sealed and its payload and age verified. False for a flow started in a
   * page (no key there): the payload and the flow's age are then only as
   * trustworthy as wherever the pending value was stored. Take identities
   * from your own session, not from such a payload.
   */
  payloadVerified: boolean;
  /** RFC 9207 issuer, when the provider sent one. */
  iss: string | null;
  /**
   * Names this flow. The pending value is single use: delete it once the
   * callback is parsed; to refuse replays across servers, record flowId as
   * used until flowExpiresAt.
   */
  flowId: string;
  /** When the flow would expire anyway (ms since the epoch): its callback is refused from then on. */
  flowExpiresAt: number;
}

/** An access token and what came with it (RFC 6749 §5.1). Holds secrets: store it, never log it. */
export interface Token {
  /** The access token: a secret. */
  accessToken: string;
  /** "Bearer" for any casing of it. */
  tokenType: string;
  /** Milliseconds since the epoch; null when it never expires or nobody said. */
  expiresAt: number | null;
  /** The preset or token kind says it never expires (PayFit, Factorial company tokens). */
  neverExpires: boolean;
  /** A secret; null when none was issued (or kept from before a refresh without rotation). */
  refreshToken: string | null;
  /** The granted scopes. */
  scopes: string[];
  /**
   * The answer stated no scope, so `scopes` are the ones requested (RFC 6749
   * §5.1: a client credentials grant, a refresh given `scopes`) or, after a
   * refresh without, the ones granted before (§6). A code exchange requests
   * none (the authorize URL did): its token's `scopes` stay `[]` and this
   * `false` when the answer states none.
   */
  scopesInferred: boolean;
  /** The provider's other fields (e.g. Factorial's `created_at`). */
  extra: Record<string, unknown>;
  /** When the token was obtained (ms since the epoch). */
  obtainedAt: number | null;
  /** PayFit: the token's company, once introspected. */
  companyId: string | null;
  /** The raw response body; non-enumerable. */
  readonly raw?: string;
}

/** An introspection answer (RFC 7662 §2.2, or PayFit's). */
export interface Introspection {
  /** Whether the token is active; every other field may be empty when not. */
  active: boolean;
  /** The token's scopes. */
  scopes: string[];
  /** The client the token was issued to. */
  clientId: string | null;
  /** PayFit. */
  companyId: string | null;
  /** Milliseconds since the epoch (the answer's `exp`). */
  expiresAt: number | null;
  /** The answer's `token_type`. */
  tokenType: string | null;
  /** The answer's `sub`. */
  sub: string | null;
}

/** Options of {@link OAuthClient.exchangeCode} and {@link OAuthClient.codeRequest}. */
export interface ExchangeOptions {
  /** Accept a bare code without the callback's state: only when your code compared the state itself. */
  skipStateCheck?: boolean;
}

/** A request as data, byte for byte what to send, for your own HTTP stack. Its headers and body hold secrets. */
export interface HttpRequestDescriptor {
  /** The HTTP method. */
  method: "POST" | "GET";
  /** The endpoint's URL. */
  url: string;
  /** Headers to send as they are (client authentication, content type). */
  headers: Record<string, string>;
  /** The encoded body, or null. */
  body: string | null;
}

/**
 * One client of one provider. Its synchronous methods throw; its exchanges
 * return Promises that reject, never throw. Exchanges are never retried and
 * never follow redirects (`unexpected_redirect`); every one may also reject
 * with `network_error`, `timeout` or `input_too_large` (an answer over
 * 1 MiB).
 */
export declare class OAuthClient<P extends Provider = Provider> {
  /**
   * Checks the options and picks the preset and environment.
   *
   * @throws {@link OAuthError} `invalid_config` (a missing, malformed or
   * unknown option, a short `stateKey`), `unknown_provider`,
   * `unknown_environment`, `invalid_redirect_uri`, `secret_in_browser` (a
   * client secret in a page with a DOM).
   */
  constructor(options: ClientOptions<P>);
  /** The preset's name. */
  readonly provider: P;
  /** The environment in use. */
  readonly environment: Environment<P>;
  /** Seconds a refresh token lasts, where the preset or `preset.refreshTokenLifetime` says; else undefined. */
  readonly refreshTokenLifetime: number | undefined;
  /** One token per company, as the preset says (PayFit): introspection names the company, and a new token for a company invalidates the previous one. */
  readonly oneTokenPerCompany: boolean;
  /** Reads per second the preset's API allows one client application (PayFit: 50); undefined where no source says it is per application. */
  readonly rateLimitReads: number | undefined;
  /** Writes per second, as `rateLimitReads` (PayFit: 20). */
  readonly rateLimitWrites: number | undefined;
  /** The client id (not a secret): names the one rate budget per client application. */
  readonly clientId: string;
  /**
   * Builds the authorization request: `state` (signed with a `stateKey`),
   * a PKCE S256 challenge where the preset sends one, the scopes and payload.
   *
   * @returns The authorize URL and the pending value the callback needs.
   * @throws {@link OAuthError} `invalid_config` (no `redirectUri`),
   * `unsupported_grant`, `missing_endpoint`, `invalid_argument` (a scope,
   * token kind or extra parameter), `input_too_large` (payload),
   * `random_unavailable`.
   * @see [RFC 6749 §4.1.1](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1), [RFC 7636 §4.3](https://www.rfc-editor.org/rfc/rfc7636#section-4.3)
   */
  startAuthorization(options?: StartOptions): Started;
  /**
   * Checks state, expiry and the provider's error; returns the code and
   * payload. A missing pending value (`null`, as `sessionStorage.getItem`
   * gives after a reload in another tab or origin) is `missing_pending`.
   *
   * @param callbackUrl The redirect back: the whole URL (`location.href`, a
   * Worker's `request.url`), a path and its query (Node's `req.url`), or the
   * query alone.
   * @throws {@link OAuthError} `missing_pending`, `invalid_pending`,
   * `provider_mismatch`, `invalid_callback`, `input_too_large`,
   * `state_mismatch`, `invalid_state`, `state_expired`, `issuer_mismatch`,
   * `access_denied`, `authorization_error` (the provider's `error` in
   * `providerCode`), `missing_code`.
   * @see [RFC 6749 §4.1.2](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2), [RFC 9207](https://www.rfc-editor.org/rfc/rfc9207)
   */
  parseCallback(callbackUrl: string, pending: Pending | string | null): CallbackResult;
  /**
   * Code → token, with the PKCE verifier and the configured `redirect_uri`.
   * Never retried: a code is single use. The callback's state must be the
   * pending flow's (`state_mismatch`); a bare code is refused
   * (`invalid_argument`) unless `skipStateCheck` says you checked it yourself.
   *
   * @throws {@link OAuthError} (rejects) `state_mismatch`,
   * `invalid_argument`, `missing_pending`, `invalid_pending`,
   * `provider_mismatch`, `invalid_config` (no `redirectUri`, or not the
   * one the flow started with; a public client without PKCE),
   * `unsupported_grant`, `missing_endpoint`; from the answer
   * `invalid_grant`, `invalid_client`,
   * `token_error`, `http_error`, `invalid_response`, `unexpected_redirect`.
   * @see [RFC 6749 §4.1.3](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3), [RFC 7636 §4.5](https://www.rfc-editor.org/rfc/rfc7636#section-4.5), [RFC 6749 §5.2](https://www.rfc-editor.org/rfc/rfc6749#section-5.2)
   */
  exchangeCode(callback: CallbackResult | string, pending: Pending | string, options?: ExchangeOptions): Promise<Token>;
  /**
   * Refreshes a token. A rotated refresh token replaces the old one; none
   * keeps it. Refresh one connection at a time ({@link createRefresher}).
   *
   * @throws {@link OAuthError} (rejects) `invalid_argument` (no refresh
   * token), `unsupported_grant`, `missing_endpoint`; from the answer
   * `invalid_grant` (used, expired, revoked or rotated away),
   * `invalid_client`, `token_error`, `http_error`, `invalid_response`,
   * `unexpected_redirect`.
   * @see [RFC 6749 §6](https://www.rfc-editor.org/rfc/rfc6749#section-6)
   */
  refresh(token: Token | string, options?: { scopes?: string[] }): Promise<Token>;
  /**
   * A token for the client itself (machine to machine); needs a client secret.
   *
   * @throws {@link OAuthError} (rejects) `invalid_config` (no client
   * secret), `unsupported_grant`, `missing_endpoint`, `invalid_argument`;
   * from the answer `invalid_client`, `token_error`, `http_error`,
   * `invalid_response`, `unexpected_redirect`.
   * @see [RFC 6749 §4.4](https://www.rfc-editor.org/rfc/rfc6749#section-4.4)
   */
  clientCredentials(options?: { scopes?: string[] }): Promise<Token>;
  /**
   * Asks the provider about a token: RFC 7662, or PayFit's. A token object
   * given here gets the answer's `companyId` set on it.
   *
   * @throws {@link OAuthError} (rejects) `unsupported_grant`,
   * `missing_endpoint`, `invalid_argument`; from the answer
   * `invalid_client`, `invalid_token`, `token_error`, `http_error`,
   * `invalid_response`, `unexpected_redirect`.
   * @see [RFC 7662 §2](https://www.rfc-editor.org/rfc/rfc7662#section-2)
   */
  introspect(token: Token | string): Promise<Introspection>;
  /**
   * Revokes a token: for a token object, its refresh token when it has one
   * (ending the grant), else its access token.
   *
   * @throws {@link OAuthError} (rejects) `unsupported_grant`,
   * `missing_endpoint`, `invalid_argument`; from the answer
   * `invalid_client`, `token_error`, `http_error`, `unexpected_redirect`.
   * @see [RFC 7009 §2](https://www.rfc-editor.org/rfc/rfc7009#section-2)
   */
  revoke(token: Token | string, options?: { hint?: "access_token" | "refresh_token" }): Promise<void>;
  /**
   * `fetch` to the provider's API (`endpoints.api` + `path`, never another
   * origin) with the Bearer token. Rejects when the API refuses the token
   * (`token_expired`, `token_revoked`, `invalid_token`: refresh, then retry
   * once), on any other 401, and on an error envelope the preset reads even
   * in a 2xx (Billit's `errors[]`); any other answer resolves as it came.
   * Redirects are never followed (`redirect: "manual"`, whatever `init`
   * says): a 3xx resolves as it is, and the token goes nowhere else.
   * `timeoutMs` covers the whole answer, its body included: a body still
   * arriving then errors as the runtime's `TimeoutError` (a `DOMException`,
   * not an `OAuthError`), unless `init.signal` is yours.
   *
   * @throws {@link OAuthError} (rejects) `missing_endpoint`,
   * `invalid_argument` (a path leaving the API's base, a bad header),
   * `token_expired`, `token_revoked`, `invalid_token`, `http_error`.
   * @see [RFC 6750 §2.1](https://www.rfc-editor.org/rfc/rfc6750#section-2.1), [RFC 6750 §3](https://www.rfc-editor.org/rfc/rfc6750#section-3)
   */
  fetchApi(token: Token | string, path: `/${string}`, init?: RequestInit): Promise<Response>;
  /**
   * The code exchange as data, for your own HTTP stack; the same checks as
   * {@link exchangeCode}. Read the answer with {@link parseTokenResponse}.
   *
   * @throws {@link OAuthError} as {@link exchangeCode} does before sending.
   * @see [RFC 6749 §4.1.3](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3)
   */
  codeRequest(callback: CallbackResult | string, pending: Pending | string, options?: ExchangeOptions): HttpRequestDescriptor;
  /**
   * The refresh request as data, for your own HTTP stack.
   *
   * @throws {@link OAuthError} `invalid_argument` (no refresh token),
   * `unsupported_grant`, `missing_endpoint`.
   * @see [RFC 6749 §6](https://www.rfc-editor.org/rfc/rfc6749#section-6)
   */
  refreshRequest(token: Token | string): HttpRequestDescriptor;
  /**
   * A token-endpoint answer your own HTTP stack received → Token.
   *
   * @throws {@link OAuthError} `invalid_argument` (not a `{ status, body }`),
   * `input_too_large` (a body over 1 MiB), `invalid_grant`,
   * `invalid_client`, `token_error`, `http_error`, `invalid_response`,
   * `unexpected_redirect`.
   * @see [RFC 6749 §5.1](https://www.rfc-editor.org/rfc/rfc6749#section-5.1), [RFC 6749 §5.2](https://www.rfc-editor.org/rfc/rfc6749#section-5.2)
   */
  parseTokenResponse(response: { status: number; body: string; wwwAuthenticate?: string }, options?: { tokenKind?: TokenKind }): Token;
  /**
   * Expires within `skewSeconds` (default 60)? A token that never expires,
   * or whose expiry nobody said, is not expired: a bare access token string,
   * or an object without `expiresAt`, answers `false`.
   *
   * @throws {@link OAuthError} `invalid_argument` (neither an object nor a string).
   */
  isExpired(token: Token | string, skewSeconds?: number): boolean;
  /** Frees the WebAssembly memory behind this client now. */
  free(): void;
}

/** The JWS algorithms {@link verifyAccessToken} verifies (RFC 7518 §3). */
export type JwtAlgorithm = "RS256" | "PS256" | "ES256" | "HS256";

/** Options of {@link verifyAccessToken}: `key` or `jwks` is required. */
export interface VerifyOptions {
  /** One key: a JWK (RSA, EC P-256, or oct for HS256) or a PEM public key (SPKI). */
  key?: JsonWebKey | string;
  /**
   * A JWK Set (RFC 7517 §5), or its URL: cached per Cache-Control max-age
   * (default 10 min, at most 24 h), fetched again for an unknown kid at
   * most once per 30 s.
   */
  jwks?: { keys: JsonWebKey[] } | string;
  /** The `iss` to require (RFC 7519 §4.1.1). */
  issuer?: string;
  /** The `aud` to require. Without it, a token that names any audience is refused (RFC 7519 §4.1.3). */
  audience?: string;
  /** Scopes the token's `scope` claim must all hold. */
  requiredScopes?: string[];
  /** Default: what the keys can verify (a key only ever verifies the algorithms of its type). An empty list or an unknown name throws `invalid_config`. */
  algorithms?: JwtAlgorithm[];
  /** Seconds of leeway for exp and nbf; default 60. */
  clockSkew?: number;
  /** Accept a token without `exp` (RFC 9068 §2.2 requires one; default false). */
  allowMissingExp?: boolean;
  /** The header's `typ` must be this (RFC 9068: "at+jwt"), case-insensitive, `application/` optional. */
  typ?: string;
  /** For the JWKS URL; default globalThis.fetch. */
  fetch?: FetchLike;
  /** For the JWKS URL; default 10 000. Outside 1–300 000, or NaN/Infinity: `invalid_config`. */
  timeoutMs?: number;
}

/** The verified token's claims (RFC 7519 §4.1), and any others it carries. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  /** Seconds since the epoch. */
  exp?: number;
  /** Seconds since the epoch. */
  nbf?: number;
  /** Seconds since the epoch. */
  iat?: number;
  /** Space-separated scopes. */
  scope?: string;
  [claim: string]: unknown;
}

/**
 * Verifies a JWT access token locally (signature through WebCrypto, then
 * exp/nbf, iss, aud, scopes) and resolves to its claims. `alg: none` is
 * always refused.
 *
 * @throws {@link OAuthError} (rejects) `invalid_config` (no key, a bad key
 * or option), `input_too_large`, `invalid_jwt`, `algorithm_not_allowed`,
 * `key_not_found`, `invalid_signature`, `token_expired`,
 * `token_not_yet_valid`, `issuer_mismatch`, `audience_mismatch`,
 * `insufficient_scope`; fetching the JWKS: `invalid_response`,
 * `network_error`, `timeout`.
 * @see [RFC 7519 §7.2](https://www.rfc-editor.org/rfc/rfc7519#section-7.2), [RFC 7515 §5.2](https://www.rfc-editor.org/rfc/rfc7515#section-5.2), [RFC 7517 §5](https://www.rfc-editor.org/rfc/rfc7517#section-5), [RFC 8725 §3.1](https://www.rfc-editor.org/rfc/rfc8725#section-3.1), [RFC 9068 §4](https://www.rfc-editor.org/rfc/rfc9068#section-4)
 */
export declare function verifyAccessToken(token: string, options: VerifyOptions): Promise<JwtClaims>;

/**
 * Refreshes one connection at a time within this process: concurrent calls
 * with the same `key` for the same client application (provider,
 * environment, client id) share one request, `save` stores the rotated token
 * before any caller sees it, and a caller holding the token just rotated away
 * gets the new one (RFC 9700 §4.14.2: reusing a rotated refresh token can
 * revoke the grant). `save` is also given the token it replaces (`replaced`:
 * the `token` argument, or the newer token of its grant that a call asking
 * other `scopes` refreshed): store the fresh one only if the refresh token you
 * hold is still `replaced`'s (compare refresh tokens, not objects), or a
 * refresh that finishes after the user reconnected puts the old grant back.
 * A save that throws is owed: the next caller holding the old token retries
 * it before getting the fresh token (its refresh is never sent twice). Two
 * grants under one key (a reconnect) never share a refresh, nor do calls
 * asking other `scopes` (they refresh one after the other; if that refresh
 * fails, they get its error). A rotation is remembered 10 minutes from
 * when its save lands (for as long as it is owed), for the 16 grants of a
 * key rotated last: a rotated-away token given later goes to the provider,
 * so read the token from your store just before refreshing.
 * `key` names one connection (a user and a provider; a custom
 * preset's server too, when two share a client id). Across processes, use
 * partner-oauth/worker or a store with a lock.
 *
 * @throws {@link OAuthError} `invalid_argument` when the options are not `{ save }` with a function, or nothing.
 * @returns `refresh(client, key, token, options)`, rejecting as
 * {@link OAuthClient.refresh} does, with `invalid_argument` when `key` is
 * not a string, or with what `save` threw.
 * @see [RFC 6749 §6](https://www.rfc-editor.org/rfc/rfc6749#section-6), [RFC 9700 §4.14.2](https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2)
 */
export declare function createRefresher(options?: {
  save?: (token: Token, key: string, replaced: Token | string) => Promise<void> | void;
}): (client: OAuthClient, key: string, token: Token | string, options?: { scopes?: string[] }) => Promise<Token>;

/**
 * A fresh PKCE code verifier: 32 random bytes, base64url, 43 characters.
 *
 * @throws {@link OAuthError} `random_unavailable`.
 * @see [RFC 7636 §4.1](https://www.rfc-editor.org/rfc/rfc7636#section-4.1)
 */
export declare function newPkceVerifier(): string;
/**
 * The S256 code challenge of a verifier: BASE64URL(SHA256(verifier)).
 *
 * @throws {@link OAuthError} `invalid_argument` (not 43–128 unreserved characters).
 * @see [RFC 7636 §4.2](https://www.rfc-editor.org/rfc/rfc7636#section-4.2)
 */
export declare function pkceChallenge(verifier: string): string;
/** Every error code the package can throw, for exhaustive switches and tests. */
export declare function errorCodes(): ErrorCode[];

/** One preset as {@link providers} lists it: its name and environments, the default first. */
export type ProviderInfo = { [P in Provider]: { name: P; environments: Environment<P>[] } }[Provider];
/**
 * Every preset, in a stable order, with its environments (the default
 * first): the list to build a provider picker or a test table from. Full
 * build only (not in `partner-oauth/page`).
 */
export declare function providers(): ProviderInfo[];
