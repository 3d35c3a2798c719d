// Review 102 (outside reviewer on the day's callback region and worker changes, 4e68048..c8ba824).
// The callback's fast entry: io.js reads the time, writes both texts into the module's one input region, then calls
// `parseCallbackInput.call(this, a.written, b.written, now)`. Review 100 C's fix reads `Date.now()` before the
// writes, but two pieces of app code still run after them and before the wasm reads the region:
//   - the conversion of `now` to the wasm's f64 (ToNumber at the JS-to-wasm boundary calls valueOf when Date.now
//     answers a Number object or any object with valueOf: a fake clock, an instrumented one);
//   - wasm-bindgen's glue reading `this.__wbg_ptr` (a Proxy's get trap when the client is wrapped in one: an
//     app's instrumentation, a tracing wrapper).
// A parseCallback re-entered from either writes its texts over the outer call's, and the outer call then parses
// the inner's bytes with its own lengths: user A's callback is answered with user B's code and state. The general
// entry (a copy of each call's texts) answers each call with its own.
import { test } from "node:test";
import "../../pkg/node.js"; // loads the wasm
import { OAuthClient } from "../../pkg/io.js";
import { assertReentryKeepsTexts, redirectUri } from "./region.mjs";

test("review102 A: a parseCallback re-entered from the time's conversion to a number answers each call with its own texts", (t) => {
  const now = Date.now;
  t.after(() => { Date.now = now; });
  // A clock that answers a Number object (valueOf: the time). Its valueOf is where the app's code runs: here it
  // parses another user's callback, as review 100 C's replaced Date.now did.
  assertReentryKeepsTexts(new OAuthClient({ provider: "billit", clientId: "c", redirectUri }), (client, reenter) => {
    Date.now = function () {
      const time = now.call(Date);
      return { valueOf: () => (reenter(), time) };
    };
    return client;
  });
});

test("review102 B: a parseCallback re-entered from a Proxy-wrapped client's get trap answers each call with its own texts", () => {
  // An instrumented client: every property read is traced, and the tracer (app code) parses a callback of its own.
  assertReentryKeepsTexts(new OAuthClient({ provider: "billit", clientId: "c", redirectUri }), (client, reenter) => new Proxy(client, {
    get(target, name, receiver) {
      if (name === "__wbg_ptr") reenter();
      return Reflect.get(target, name, receiver);
    },
  }));
});
