// verifyAccessToken through Chromium's own WebCrypto: the checks every
// runtime runs (tests/support/jwt.mjs), against the installed package.
import * as oauth from "partner-oauth";
import { everyAlgorithmVerifies, theChecksNameWhatFailed } from "../../support/jwt.mjs";

try {
  await everyAlgorithmVerifies(oauth);
  await theChecksNameWhatFailed(oauth);
  document.getElementById("result").textContent = "all checks passed";
} catch (e) {
  document.getElementById("error").textContent = `${e.code ?? ""} ${e.message}`;
}
