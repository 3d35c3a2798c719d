// Review 100 (outside reviewer on ec11641 and its neighbours: parseCallback's texts encoded by io.js straight into
// the wasm's one 16 KiB input region, `callbackInput` / `parseCallbackInput`, shared by every client of the module).
// parse_callback_input takes the region's Vec out of its cell (Cell::take) for the whole check and puts it back
// only when the check returns: any JS the check calls meanwhile (js_sys::Date::now for now_secs, callbackParts,
// the OAuthError constructor) runs with the cell empty and io.js' views still over the taken bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OAuthError } from "../../pkg/node.js";
import { OAuthClient } from "../../pkg/io.js";
import { assertReentryKeepsTexts, redirectUri } from "./region.mjs";

const isCode = (code) => (e) => e instanceof OAuthError && e.code === code;

// C runs first: B leaves the module's region taken.
// C: a callback checked while another is (re-entry from JS the check calls: here `Date.now`, which now_secs reads
// after the texts were written and the region taken; a test's fake clock or an app's instrumented one that logs
// through code parsing a callback). The inner call's io.js writes its texts over the bytes the outer call is about
// to parse (its views are over the taken Vec), and then finds the cell empty: refused as "not a string". The outer
// call parses the inner's bytes: user A's callback is answered with user B's code and state. Before ec11641 the
// wasm got a copy of each call's texts.
test("review100 C: a parseCallback re-entered from the wasm's Date.now answers each call with its own texts", (t) => {
  const now = Date.now;
  t.after(() => { Date.now = now; });
  assertReentryKeepsTexts(new OAuthClient({ provider: "billit", clientId: "c", redirectUri }), (client, reenter) => {
    Date.now = function () {
      reenter();
      return now.call(Date);
    };
    return client;
  });
});

// B: a JS exception thrown out of an import while the region is taken (here `Date.now`, read by now_secs after the
// take: a fake clock that throws once uninstalled or misused) unwinds through the wasm without putting the Vec back.
// The cell stays empty and io.js' views stay attached (the memory did not grow), so every later callback of every
// client of the module, with valid texts, reads `None` and is refused as "must be a string" (invalid_argument)
// until something grows the memory. Before ec11641 each call's texts were its own copy: the same unwind left
// nothing behind. (A stack overflow is the natural trigger; the reviewer's sweep did not land one in the window.)
test("review100 B: one exception inside a parseCallback does not make every later callback of the module 'not a string'", (t) => {
  const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri });
  const { state, pending } = client.startAuthorization({});
  const url = `${redirectUri}?code=abc&state=${state}`;
  assert.equal(client.parseCallback(url, pending).code, "abc", "precondition: the callback is accepted");
  const now = Date.now;
  t.after(() => { Date.now = now; });
  Date.now = () => { throw new Error("clock unavailable"); };
  assert.throws(() => client.parseCallback(url, pending), /clock unavailable/, "precondition: the exception reaches the caller");
  Date.now = now;
  const other = new OAuthClient({ provider: "billit", clientId: "c2", redirectUri });
  const flow = other.startAuthorization({});
  const answers = [[client, url, pending], [other, `${redirectUri}?code=def&state=${flow.state}`, flow.pending]].map(([c, u, p]) => {
    try {
      return c.parseCallback(u, p).code;
    } catch (e) {
      return `${e.code}: ${e.message}`;
    }
  });
  assert.deepEqual(answers, ["abc", "def"], "later valid callbacks, this client's and another's, are still accepted");
});
