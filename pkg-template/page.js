// The page build, for browsers and bundlers: start flows and parse callbacks
// only (no exchanges, token parsing or JWT verification), so it ships fewer
// bytes (the README states both sizes, from tests/tarball/sizes.txt). Your
// server, with the full build, does the exchanges.
import init from "./page/partner_oauth.js";

await init(fetch(new URL("./page/partner_oauth_bg.wasm", import.meta.url)));

export { OAuthClient, newPkceVerifier, pkceChallenge } from "./page/partner_oauth.js";
export { errorCodes } from "./error-codes.js";
export { OAuthError } from "__OAUTH_ERROR__";
