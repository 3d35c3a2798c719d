// partner-oauth/sandbox: a local emulator of the five providers (and an RFC
// 6749 server for the custom preset), for your own tests. Node only.
import type { Endpoints, Provider } from "../index.js";

export interface SandboxClient {
  clientId: string;
  clientSecret?: string;
}

/** Per provider: what to paste into `new OAuthClient({ provider, ...config[provider], redirectUri })`. */
export interface SandboxProviderConfig {
  clientId: string;
  clientSecret: string;
  endpoints: Endpoints;
  /** The `iss` it puts on callbacks, where it sends one (custom: pass it as `preset.issuer`). */
  issuer?: string;
  /** A public client (PKCE, no secret), where the provider takes them. */
  publicClientId?: string;
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>`; admin routes live under `/_sandbox/`. */
  readonly url: string;
  endpoints(provider: Provider): Endpoints;
  jwksUrl(provider: Provider): string;
  issuer(provider: Provider): string;
  config(): Record<Provider, SandboxProviderConfig>;
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Registered for every client, besides https://app.example.com/oauth/callback. */
  redirectUris?: string[];
  /** Answer every authorize request at once, as a user pressing that button. */
  autoConsent?: "approve" | "deny" | null;
}

export declare function startSandbox(options?: SandboxOptions): Promise<Sandbox>;
/** `main` and `other` confidential clients; `public` where the provider takes public clients. */
export declare function sandboxClients(provider: Provider): { main: Required<SandboxClient>; other: Required<SandboxClient>; public?: SandboxClient };
