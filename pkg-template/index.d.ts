// Types of the partner-oauth package. Hand-written: wasm-bindgen would type
// every option as `any`.

// <generated> by tests/contracts.rs from the Rust declarations: edit those, then run `BLESS=1 cargo test --test contracts`
/** A preset's name; `custom` describes any RFC 6749 provider through `preset`. */
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

/** Every `OAuthError.code`; the README's error table says when each is raised. */
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
  | "vault_key_error" | "missing_pending" | "replayed_callback" | "owner_mismatch";
// </generated>

/** Every error the package throws or rejects with. */
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
  constructor(code: ErrorCode, message: string, details?: {
    status?: number; providerCode?: string; providerMessage?: string; bodyExcerpt?: string; url?: string; cause?: unknown;
  });
}

export interface Endpoints {
  authorize?: string;
  token?: string;
  introspect?: string;
  revoke?: string;
  /** Base URL of the provider's API, for `fetchApi`. */
  api?: string;
}

export type Grant = "authorization_code" | "refresh_token" | "client_credentials" | "introspection" | "revocation";

/** A preset's quirks; for the custom preset, its whole description. */
export interface PresetOverrides {
  grants?: Grant[];
  /** Send `response_type=code` (Billit's Logon URL takes none). */
  responseType?: boolean;
  /** Joins scopes in the authorize URL (PayFit: ","). */
  scopeSeparator?: string;
  pkce?: "required" | "supported" | "unsupported";
  authorizeParams?: Record<string, string>;
  clientAuth?: "body" | "basic";
  /** "query" puts the client secret in a URL: only when a provider demands it. */
  tokenBody?: "form" | "json" | "query";
  /** Callback parameters that carry the code, in order of preference. */
  codeParams?: string[];
  redirectUriQueryAllowed?: boolean;
  neverExpires?: boolean;
  /** Seconds assumed when a token response gives no expiry. */
  defaultLifetime?: number;
  /** Seconds a refresh token lasts (Payout: 90 days, Factorial user tokens: 7), so it is refreshed before then. */
  refreshTokenLifetime?: number;
  introspection?: "rfc7662" | "bearer_json";
  /** Expected `iss` on every callback (RFC 9207): a callback without one is refused. */
  issuer?: string;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions<P extends Provider = Provider> {
  provider: P;
  environment?: Environment<P>;
  clientId: string;
  /** Server side only: throws `secret_in_browser` in a page with a DOM. */
  clientSecret?: string;
  /** `https`, or `http` on a loopback host. */
  redirectUri?: string;
  /** ≥ 32 bytes each. Signs state and seals `pending`; the first signs, any verifies. */
  stateKey?: string | string[];
  /** Seconds from start to callback; default 600. */
  stateMaxAge?: number;
  endpoints?: Endpoints;
  preset?: PresetOverrides;
  /** Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Per exchange; default 10 000. */
  timeoutMs?: number;
  /** Tests only. */
  dangerouslyAllowSecretInBrowser?: boolean;
}

export interface StartOptions {
  scopes?: string[];
  /** Carried in `state`: signed only when the client has a stateKey (a page has none), never encrypted. ≤ 2048 bytes. */
  payload?: string;
  tokenKind?: TokenKind;
  /** Extra authorize parameters (e.g. `prompt`); names the library sets are refused. */
  params?: Record<string, string>;
}

declare const pendingBrand: unique symbol;
/** Opaque: store it (HttpOnly cookie, sessionStorage) and hand it back. Holds the PKCE verifier. */
export type Pending = string & { readonly [pendingBrand]: true };

export interface Started {
  url: string;
  state: string;
  pending: Pending;
}

export interface CallbackResult {
  code: string;
  state: string;
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
  /** When the flow would expire anyway (ms since the epoch). */
  flowExpiresAt: number;
}

/** Holds secrets: store it, never log it. */
export interface Token {
  accessToken: string;
  /** "Bearer" for any casing of it. */
  tokenType: string;
  /** Milliseconds since the epoch; null when it never expires or nobody said. */
  expiresAt: number | null;
  neverExpires: boolean;
  refreshToken: string | null;
  scopes: string[];
  /**
   * The answer stated no scope, so `scopes` are the ones requested (RFC 6749
   * §5.1) or, after a refresh, the ones granted before (§6).
   */
  scopesInferred: boolean;
  /** The provider's other fields (e.g. Factorial's `created_at`). */
  extra: Record<string, unknown>;
  obtainedAt: number | null;
  /** PayFit: the token's company, once introspected. */
  companyId: string | null;
  /** The raw response body; non-enumerable. */
  readonly raw?: string;
}

export interface Introspection {
  active: boolean;
  scopes: string[];
  clientId: string | null;
  /** PayFit. */
  companyId: string | null;
  expiresAt: number | null;
  tokenType: string | null;
  sub: string | null;
}

export interface ExchangeOptions {
  /** Accept a bare code without the callback's state: only when your code compared the state itself. */
  skipStateCheck?: boolean;
}

export interface HttpRequestDescriptor {
  method: "POST" | "GET";
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export declare class OAuthClient<P extends Provider = Provider> {
  constructor(options: ClientOptions<P>);
  readonly provider: P;
  readonly environment: Environment<P>;
  /** Seconds a refresh token lasts, where the preset or `preset.refreshTokenLifetime` says; else undefined. */
  readonly refreshTokenLifetime: number | undefined;
  /** The authorize URL and the pending value the callback needs. */
  startAuthorization(options?: StartOptions): Started;
  /**
   * Checks state, expiry and the provider's error; returns the code and
   * payload. A missing pending value (`null`, as `sessionStorage.getItem`
   * gives after a reload in another tab or origin) is `missing_pending`.
   */
  parseCallback(callbackUrl: string, pending: Pending | string | null): CallbackResult;
  /**
   * Code → token. Never retried: a code is single use. The callback's state
   * must be the pending flow's (`state_mismatch`); a bare code is refused
   * (`invalid_argument`) unless `skipStateCheck` says you checked it yourself.
   */
  exchangeCode(callback: CallbackResult | string, pending: Pending | string, options?: ExchangeOptions): Promise<Token>;
  /** A rotated refresh token replaces the old one; none keeps it. */
  refresh(token: Token | string, options?: { scopes?: string[] }): Promise<Token>;
  clientCredentials(options?: { scopes?: string[] }): Promise<Token>;
  /** RFC 7662, or PayFit's. A token object given here gets the answer's `companyId` set on it. */
  introspect(token: Token | string): Promise<Introspection>;
  revoke(token: Token | string, options?: { hint?: "access_token" | "refresh_token" }): Promise<void>;
  /**
   * Rejects with token_expired / token_revoked / invalid_token when the API
   * refuses the token. Redirects are never followed (`redirect: "manual"`,
   * whatever `init` says): a 3xx resolves as it is, and the token goes nowhere else.
   */
  fetchApi(token: Token | string, path: `/${string}`, init?: RequestInit): Promise<Response>;
  /** The code exchange as data, for your own HTTP stack; the same state check as `exchangeCode`. */
  codeRequest(callback: CallbackResult | string, pending: Pending | string, options?: ExchangeOptions): HttpRequestDescriptor;
  /** The refresh request as data, for your own HTTP stack. */
  refreshRequest(token: Token | string): HttpRequestDescriptor;
  /** A token-endpoint answer your own HTTP stack received → Token, or throws the typed error. */
  parseTokenResponse(response: { status: number; body: string; wwwAuthenticate?: string }, options?: { tokenKind?: TokenKind }): Token;
  /** Expires within `skewSeconds` (default 60)? */
  isExpired(token: Token | string, skewSeconds?: number): boolean;
  /** Frees the WebAssembly memory behind this client now. */
  free(): void;
}

export type JwtAlgorithm = "RS256" | "PS256" | "ES256" | "HS256";

export interface VerifyOptions {
  /** One key: a JWK (RSA, EC P-256, or oct for HS256) or a PEM public key (SPKI). */
  key?: JsonWebKey | string;
  /**
   * A JWK Set, or its URL: cached per Cache-Control max-age (default 10 min,
   * at most 24 h), fetched again for an unknown kid at most once per 30 s.
   */
  jwks?: { keys: JsonWebKey[] } | string;
  issuer?: string;
  /** The `aud` to require. Without it, a token that names any audience is refused (RFC 7519 §4.1.3). */
  audience?: string;
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
  timeoutMs?: number;
}

/** The verified token's claims. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  scope?: string;
  [claim: string]: unknown;
}

/**
 * Verifies a JWT access token locally (signature through WebCrypto, then
 * exp/nbf, iss, aud, scopes) and resolves to its claims; rejects with an
 * OAuthError whose code names the failed check.
 */
export declare function verifyAccessToken(token: string, options: VerifyOptions): Promise<JwtClaims>;

/**
 * Refreshes one connection at a time within this process: concurrent calls
 * with the same `key` share one request, `save` stores the rotated token
 * before any caller sees it, and a caller holding the token just rotated away
 * gets the new one (RFC 9700 §4.14.2: reusing a rotated refresh token can
 * revoke the grant). Across processes, use partner-oauth/worker or a store
 * with a lock.
 */
export declare function createRefresher(options?: {
  save?: (token: Token, key: string) => Promise<void> | void;
}): (client: OAuthClient, key: string, token: Token | string, options?: { scopes?: string[] }) => Promise<Token>;

/** 32 random bytes, base64url: 43 characters (RFC 7636 §4.1). */
export declare function newPkceVerifier(): string;
/** BASE64URL(SHA256(verifier)) (RFC 7636 §4.2). */
export declare function pkceChallenge(verifier: string): string;
export declare function errorCodes(): ErrorCode[];
