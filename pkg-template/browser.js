// Browsers and bundlers: the bundler resolves the `new URL(…, import.meta.url)`
// asset; top-level await instantiates it once (needs an ES2022 target).
import init from "./partner_oauth.js";

await init({ module_or_path: new URL("./partner_oauth_bg.wasm", import.meta.url) });

export { newPkceVerifier, pkceChallenge, providers } from "./partner_oauth.js";
export { errorCodes } from "./error-codes.js";
export { OAuthClient, verifyAccessToken, createRefresher } from "./io.js";
export { OAuthError } from "__OAUTH_ERROR__";
