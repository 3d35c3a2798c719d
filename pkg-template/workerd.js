// Cloudflare Workers (workerd): the runtime hands `.wasm` imports over as a
// compiled WebAssembly.Module, so instantiation is synchronous and fetches
// nothing.
import wasm from "./partner_oauth_bg.wasm";
import { initSync } from "./partner_oauth.js";

initSync({ module: wasm });

export { newPkceVerifier, pkceChallenge, providers } from "./partner_oauth.js";
export { errorCodes } from "./error-codes.js";
export { OAuthClient, verifyAccessToken, createRefresher } from "./io.js";
export { OAuthError } from "__OAUTH_ERROR__";
