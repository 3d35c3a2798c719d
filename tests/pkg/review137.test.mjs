// Review 137 (a fresh reviewer on review 136's wipe, 4176818..cda854f). The full build's free() wipes the stack's top
// 64 KiB (unwind.js' `w`, raw.rs' DEAD_STACK) once no export runs; app code can nest the package's calls (a start
// from inside a start's clock) until their frames lie below that reach, and what they leave there survives every
// client's free(). The scripts are review137-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review137-scripts.mjs", import.meta.url).href;
const run = childRunner(scripts, pkg);

// Review 137 A (deep-nest, low, older: 4176818's release() wiped the same 64 KiB below its own frame): 240 keyed starts
// nested in app code's clock (each client's start from inside the previous one's Date.now) reach ~88 KiB below the
// stack's top; once all have returned and every client is freed, the SHA-256 outer state (little-endian) of the keys
// of the starts nested 175 to 240 deep is still on the stack, 65,584 bytes below the top and lower, outside the wipe.
// Only the full build: the page module imports nothing, so nothing nests there.
test("review137 A (deep-nest): keyed starts nested below the wipe's 64 KiB leave no key material after every free()", async () => {
  assert.deepEqual(await run("s.deepNest(pkg, 240, 'clock')"), { nested: 240, errors: [], belowReach: true, found: {} });
});

// The same with app code's getRandomValues (which the wasm's random pool calls ~17 KiB below its start's frame as it
// refills): 4 nested keyed starts, all answering, reach ~84 KiB below the top; after every client's free() the
// innermost client's opad block (6 copies) and both of its SHA-256 states (little-endian, enough to compute its state
// MACs without the key) are still there, ~68 KiB below the top.
test("review137 A (deep-nest, random): 4 keyed starts nested in app code's getRandomValues leave no key material after every free()", async () => {
  assert.deepEqual(await run("s.deepNest(pkg, 4, 'random')"), { nested: 4, errors: [], belowReach: true, found: {} });
});
