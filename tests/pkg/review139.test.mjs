// Review 139 (outside reviewer on ep53, the bare-query rule and review 137 A's deep wipe, head 4b8392f, then rs53 as
// merged in 126b8a1, whose builds give the same values: the page's Error holding its answer (eight numbers and one byte
// buffer, the provider's fields appended by `with_callback_values`, `first_characters` a cut `&str`, the code as an
// f64); a callback is a whole URL only when its `://` comes before any `=`; unwind.js' `deepest` and `w(deepest)`).
// Differential runs of 4176818's (/tmp/rv138-old/pkg) and 4b8392f's packages, page (page-node.js) and full (node.js)
// builds, with the same random bytes (xorshift) and clock, each error recorded whole (own property names and values,
// code, message, providerCode, providerMessage, name, prototypes): identical outside the bare-query class, which
// answers as 4176818 answers the same query with its `://` percent-encoded. Confirmed nothing. The values below are
// 4b8392f's, frozen. The scripts are review139-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review139-scripts.mjs", import.meta.url).href;
const run = childRunner(scripts, pkg);
const builds = ["page-node.js", "node.js"];
const classOf = (t) => { const e = t.indexOf("="), u = t.indexOf("://"); return !t.startsWith("/") && e >= 0 && e < u; };

// Held: 3,023 answers per build. Provider errors (`error`, `error_description`, both) of 0 to 16,000 bytes, 253 to
// 258 characters of 1- to 4-byte characters with the cut at and around 256, empty values, with the state, without,
// another state, with `iss` before and after, in a whole URL, a bare query and a path; refusals with message parts
// (arguments of 15 other types for every argument and option, a pending value of another client, unknown providers and
// environments, bad redirect URIs, 70,000-byte texts, flows 600 s ± 1 ms old and from the future); sequences of provider
// errors, refusals and successes on one client, three times over (no stale provider field: `providerCode` absent after
// a refusal without one); a freed client; refusals and successes raised inside the random source's refill and the
// clock during a start and a callback. Outside the bare texts (2,493 answers) each equals 4176818's same build.
test("review139 (held): the error path answers whole as 4176818's in both builds", async () => {
  const [page, full] = await Promise.all(builds.map((f) => run(`s.summary(pkg, ${JSON.stringify(f)})`)));
  assert.deepEqual([page.n, full.n], [3023, 3023]);
  assert.deepEqual([page.sha, full.sha], ["3421afc23e67c351", "1ee1f17922771952"]);
  for (const r of [page, full]) {
    assert.equal(Object.keys(r.tally).filter((k) => k.endsWith(":THROWN")).length, 0);
    assert.equal(r.tally["seq:authorization_error"], 12);
    assert.equal(r.tally["seqOther:provider_mismatch"], 36);
    assert.equal(r.tally["nestedClock:ok"], 4);
  }
  const outside = await Promise.all(builds.map((f) => run(`s.outsideBare(pkg, ${JSON.stringify(f)}, "all")`)));
  assert.deepEqual(outside, [[2493, "bcf0201d265cbc12"], [2493, "36a2923f5d7ceebd"]]); // 4176818's
});

// Held: 4,000 random callback texts per build around the rule (`=`, `://`, http and https in any casing, userinfo,
// `/`, `?`, `#`, whitespace, `javascript:`, `data:`, the parameters): outside the class (`=` before the first `://`,
// not a path) identical to 4176818's; in it (804 page, 778 full texts, all refused by 4176818 as not a URL) each
// answers as the same text with every `://` sent as `%3A%2F%2F`, which 4176818 answers the same (by hand): the text
// is read as the query it is, no other. A whole URL 4b8392f can read (`http(s)://` first) has no `=` before its `://`.
test("review139 (held): the bare-query rule reads the class as its query and nothing else changed", async () => {
  const outside = await Promise.all(builds.map((f) => run(`s.outsideBare(pkg, ${JSON.stringify(f)}, "random")`)));
  assert.deepEqual(outside, [[3196, "c1dad39aabe0c25c"], [3222, "6af379a59e5a2225"]]); // 4176818's
  for (const [f, size, sha] of [["page-node.js", 804, "7da3914c860d3660"], ["node.js", 778, "35621ff704b2e112"]]) {
    const [plain, encoded, sum] = await Promise.all([
      run(`s.bareRandom(pkg, ${JSON.stringify(f)}, 1392, 4000, false)`),
      run(`s.bareRandom(pkg, ${JSON.stringify(f)}, 1392, 4000, true)`),
      run(`s.bareSummary(pkg, ${JSON.stringify(f)})`),
    ]);
    const inClass = plain.map((r, i) => [r, encoded[i]]).filter(([[t]]) => classOf(t));
    assert.equal(inClass.length, size);
    for (const [[t, a], [, b]] of inClass) assert.deepEqual(a, b, t);
    assert.equal(sum.sha, sha);
  }
});

// Held: after provider errors holding the code, state mismatches, another client's pending value and a bare query
// with `iss=https://…`, then free(): no copy of the code, the state, the pending value, its fields or the payload
// anywhere in either build's memory (before free() the full build holds the code, state and payload: the scan sees).
test("review139 (held): nothing of a flow is left in memory after the error path and free()", async () => {
  for (const f of builds) {
    const after = await run(`s.residue(pkg, ${JSON.stringify(f)})`);
    assert.equal(after.memories, 1);
    for (const [k, v] of Object.entries(after)) if (k !== "memories") assert.equal(v, 0, `${f} ${k}`);
  }
  const before = await run(`s.residue(pkg, "node.js", 1393, false)`);
  assert.ok(before.code > 0 && before.state > 0 && before.payload > 0);
});
