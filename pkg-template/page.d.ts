// Types of `partner-oauth/page`: the page build starts flows and parses
// callbacks; everything else runs on your server with the full build.

/**
 * The page build, for browsers: start flows and parse callbacks only (no
 * exchanges, token parsing or JWT verification), in a smaller module. A flow
 * started here finishes on your server with the full build; it throws the
 * same {@link OAuthError} with the same codes.
 *
 * @module partner-oauth/page
 */
import type { ClientOptions, Provider, OAuthClient as FullClient } from "./index.js";

export type {
  Provider, Environment, ErrorCode, Endpoints, Grant, PresetOverrides, ClientOptions, TokenKind,
  StartOptions, Pending, Started, CallbackResult,
} from "./index.js";
export { OAuthError, newPkceVerifier, pkceChallenge, errorCodes } from "./index.js";

/**
 * The full build's client, less what runs on a server: `startAuthorization`
 * and `parseCallback`. A page holds neither a client secret nor a
 * `stateKey` (anyone can read them; where there is a DOM the constructor
 * throws `secret_in_browser` for either), so its callbacks' payloads are
 * unverified (`payloadVerified: false`).
 */
export type OAuthClient<P extends Provider = Provider> = Pick<
  FullClient<P>,
  "provider" | "environment" | "startAuthorization" | "parseCallback" | "free"
>;
/**
 * Creates a page client.
 *
 * @throws {@link OAuthError} as the full build's constructor does;
 * `secret_in_browser` for any `clientSecret` in a page with a DOM.
 */
export declare const OAuthClient: {
  /**
   * Checks the options and picks the preset and environment.
   *
   * @throws {@link OAuthError} `invalid_config`, `unknown_provider`,
   * `unknown_environment`, `invalid_redirect_uri`, `secret_in_browser`.
   */
  new <P extends Provider = Provider>(options: ClientOptions<P>): OAuthClient<P>;
};
