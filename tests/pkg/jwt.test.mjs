// verifyAccessToken through Node's WebCrypto, every algorithm and key form
// (the same checks run in headless Chromium: tests/consumers/browser).
import { test } from "node:test";
import * as oauth from "../../pkg/node.js";
import { everyAlgorithmVerifies, theChecksNameWhatFailed } from "../support/jwt.mjs";

test("every algorithm verifies, as a JWK, a JWK Set and PEM; a flipped bit is refused", () => everyAlgorithmVerifies(oauth));
test("each refusal names the check that failed", () => theChecksNameWhatFailed(oauth));
