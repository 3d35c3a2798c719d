// Appended by scripts/build-wasm.sh to wasm-bindgen's glue (the full build;
// the page build's raw.js has its own `guard`), which then reads its
// exports through `unwindGuard(instance.exports)`.
//
// Each export puts the shadow stack's pointer back when it throws. A
// RangeError at the JS stack's limit, a trap, or what app code throws in an
// import that is not `catch` unwinds the wasm's frames without their
// epilogues, so the stack they held stayed taken; ~2,000 overflows deep in
// an app's recursion used it all up (review 110 F3). Exports nest here (app
// code inside an import may call the package): a nested call puts back the
// pointer it started from, read then; an outermost one starts at the
// stack's top, read once. The Global's getter and setter are taken at load:
// a replaced one never runs here. Once the outermost export returns after a
// client's release or drop ran in it, the stack's top is zeroed (`w`, review 136):
// only then is no frame live, release()'s export's nor that of a call app
// code freed the client in.
/* Each export puts the stack pointer back when it throws (src/wasm/unwind.js). */
const unwindCall = Function.prototype.call;
const unwindValue = Object.getOwnPropertyDescriptor(WebAssembly.Global.prototype, "value");
const unwindGet = unwindCall.bind(unwindValue.get), unwindSet = unwindCall.bind(unwindValue.set);

function unwindGuard(exports) {
  const sp = exports.g, top = unwindGet(sp), wipe = exports.w, guarded = {};
  // Exports running now (a `finally` counts it down: none is missed),
  // whether a release ran since the stack was last wiped, and the lowest
  // pointer an export started from since then (the wipe reaches 64 KiB
  // below it: calls nested by app code lie deeper, review 137 A).
  let depth = 0, owed = false, deepest = top;
  for (const name in exports) {
    const f = exports[name];
    // Up to 8 arguments: the most any export takes is 6
    // (tests/pkg/unwind.test.mjs checks).
    // The pointer stays the glue's (initSync answers the other exports).
    // A client freed, or dropped by its FinalizationRegistry cleanup (never freed).
    const frees = name === "oauthclient_release" || name === "__wbg_oauthclient_free";
    if (f !== sp) guarded[name] = typeof f !== "function" ? f : function (a, b, c, d, e, g, h, i) {
      const from = depth ? unwindGet(sp) : top;
      if (from < deepest) deepest = from;
      depth++;
      owed ||= frees;
      try {
        return f(a, b, c, d, e, g, h, i);
      } catch (error) {
        unwindSet(sp, from);
        throw error;
      } finally {
        // Kept owed if the wipe throws (at the JS stack's limit).
        if (!--depth && owed) wipe(deepest), (owed = false, deepest = top);
      }
    };
  }
  return guarded;
}
