// partner-oauth/sandbox: a local emulator of the five providers (and an RFC
// 6749 server for the custom preset), for your own tests: Node, Deno, Bun.

/**
 * A local emulator of the five providers (and an RFC 6749 server for the
 * custom preset) on 127.0.0.1, for your own tests, in Node, Deno or Bun
 * (`npx partner-oauth-sandbox` needs Node). It refuses what
 * the real provider would: a wrong body encoding or secret, a missing or
 * wrong PKCE verifier (RFC 7636 §4.6), a reused code or refresh token (which
 * ends the grant), an unregistered redirect URI. Also the
 * `partner-oauth-sandbox` command.
 *
 * @module partner-oauth/sandbox
 */
import type { Endpoints, Provider } from "../index.js";

/** A client registered with a sandbox provider. */
export interface SandboxClient {
  clientId: string;
  /** None for a public client. */
  clientSecret?: string;
}

/**
 * Per provider: client options to paste into `new OAuthClient({ provider,
 * ...config[provider], redirectUri })`. Public clients (PKCE, no secret):
 * {@link sandboxClients}.
 */
export interface SandboxProviderConfig {
  clientId: string;
  clientSecret: string;
  /** Only the endpoints this sandbox serves for the provider. */
  endpoints: Endpoints;
  /** Where the sandbox sends `iss` on callbacks (custom): the `issuer` to expect (RFC 9207). */
  preset?: { issuer: string };
}

/** A running sandbox. */
export interface Sandbox {
  /** `http://127.0.0.1:<port>`; admin routes live under `/_sandbox/`. */
  readonly url: string;
  /** Endpoint overrides that point a preset at this sandbox. */
  endpoints(provider: Provider): Endpoints;
  /** The provider's JWK Set URL (RFC 7517 §5): the key its JWT access tokens are signed with. */
  jwksUrl(provider: Provider): string;
  /** The `iss` the sandbox puts on callbacks (RFC 9207) and in JWTs, where it sends one. */
  issuer(provider: Provider): string;
  /** Every provider's main client and endpoints, ready to paste. */
  config(): Record<Provider, SandboxProviderConfig>;
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Registered for every client, besides https://app.example.com/oauth/callback. */
  redirectUris?: string[];
  /** Answer every authorize request at once, as a user pressing that button. */
  autoConsent?: "approve" | "deny" | null;
  /** Gets one line per request answered: method, path (never the query), status and the error given. */
  log?: ((line: string) => void) | null;
}

/** The body of `POST /_sandbox/switch`: per-client faults, merged into what
 * the client already has (`reset: true` clears them). */
export interface SandboxSwitches {
  /** The client the switches apply to (see {@link sandboxClients}). */
  clientId: string;
  /** Access tokens issued from now on last this many seconds. */
  expiresIn?: number;
  /** Every refresh is refused (`invalid_grant`). */
  refuseRefresh?: boolean;
  /** A 503 or 429 (with `Retry-After` when given), `times` times, at the token endpoint or the API. */
  unavailable?: { on: "token" | "api"; status?: 503 | 429; retryAfter?: number; times: number };
  /** Token-endpoint answers wait this long. */
  delayMs?: number;
  /** PayFit: every new grant's company. */
  companyId?: string;
  /** The API answers every token as invalid (401); introspection still says active: a transient refusal. */
  rejectTokens?: boolean;
  /** The company uninstalls the app (PayFit): `true`, every token the client holds is revoked at once; a company id, that company's. */
  uninstall?: true | string;
  /** Clears every switch of the client. */
  reset?: boolean;
}

/**
 * Starts the sandbox on 127.0.0.1; resolves once it listens, rejects when it
 * cannot (a port in use: `EADDRINUSE`). An unknown option or a value it
 * cannot act on (`autoConsent: true`, `log: true`) throws a `TypeError`: a
 * test tool that guessed would hide the mistake. Likewise the admin routes
 * answer 400 `invalid_request` to a field they do not know or a value they
 * cannot act on, and change nothing.
 */
export declare function startSandbox(options?: SandboxOptions): Promise<Sandbox>;
/** `main` and `other` confidential clients; `public` where the provider takes public clients. */
export declare function sandboxClients(provider: Provider): { main: Required<SandboxClient>; other: Required<SandboxClient>; public?: SandboxClient };

/** Registered for every client, besides the `redirectUris` given. */
export declare const DEFAULT_REDIRECT_URI: "https://app.example.com/oauth/callback";
