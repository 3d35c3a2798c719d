// Node (ESM): read the module from disk and instantiate it synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "./partner_oauth.js";

initSync({ module: readFileSync(new URL("./partner_oauth_bg.wasm", import.meta.url)) });

export { newPkceVerifier, pkceChallenge, providers } from "./partner_oauth.js";
export { errorCodes } from "./error-codes.js";
export { OAuthClient, verifyAccessToken, createRefresher } from "./io.js";
export { OAuthError } from "__OAUTH_ERROR__";
