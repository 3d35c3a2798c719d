// The page build in Node, Deno and Bun (the `node` condition): the module
// read from disk and instantiated synchronously, as node.js does for the
// full build; page.js's fetch cannot read a file: URL in Node.
import { readFileSync } from "node:fs";
import { initSync } from "./page/partner_oauth.js";

initSync({ module: readFileSync(new URL("./page/partner_oauth_bg.wasm", import.meta.url)) });

export { OAuthClient, newPkceVerifier, pkceChallenge } from "./page/partner_oauth.js";
export { errorCodes } from "./error-codes.js";
export { OAuthError } from "__OAUTH_ERROR__";
