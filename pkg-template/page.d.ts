// Types of `partner-oauth/page`: the page build starts flows and parses
// callbacks; everything else runs on your server with the full build.
import type { ClientOptions, Environment, Provider, StartOptions, Started, Pending, CallbackResult } from "./index.js";

export type {
  Provider, Environment, ErrorCode, Endpoints, Grant, PresetOverrides, ClientOptions, TokenKind,
  StartOptions, Pending, Started, CallbackResult,
} from "./index.js";
export { OAuthError, newPkceVerifier, pkceChallenge, errorCodes } from "./index.js";

export declare class OAuthClient<P extends Provider = Provider> {
  constructor(options: ClientOptions<P>);
  readonly provider: P;
  readonly environment: Environment<P>;
  /** The authorize URL and the pending value the callback needs. */
  startAuthorization(options?: StartOptions): Started;
  /** Checks state, expiry and the provider's error; returns the code and payload. */
  parseCallback(callbackUrl: string, pending: Pending | string): CallbackResult;
  free(): void;
}
