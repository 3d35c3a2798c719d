// Types of `partner-oauth/page`: the page build starts flows and parses
// callbacks; everything else runs on your server with the full build.
import type { ClientOptions, Provider, OAuthClient as FullClient } from "./index.js";

export type {
  Provider, Environment, ErrorCode, Endpoints, Grant, PresetOverrides, ClientOptions, TokenKind,
  StartOptions, Pending, Started, CallbackResult,
} from "./index.js";
export { OAuthError, newPkceVerifier, pkceChallenge, errorCodes } from "./index.js";

/** The full build's client, less what runs on a server. */
export type OAuthClient<P extends Provider = Provider> = Pick<
  FullClient<P>,
  "provider" | "environment" | "startAuthorization" | "parseCallback" | "free"
>;
export declare const OAuthClient: new <P extends Provider = Provider>(options: ClientOptions<P>) => OAuthClient<P>;
