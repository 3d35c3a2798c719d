// scripts/order-functions.mjs is deterministic: the same module in gives
// the same bytes out, run after run and with or without its worker (no
// randomness; the first best move wins). A hand-made module whose link
// order interleaves six families of similar bodies, so the search has
// moves that pay: it must reorder it, each time the same way; both with
// every move gzipped whole (the page build's search, with swaps) and with only the
// moves its local estimate ranks first (the full build's, from the link order
// reversed).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { toUleb } from "../../scripts/leb.mjs";

const script = new URL("../../scripts/order-functions.mjs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "order-functions-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const section = (id, body) => [id, ...toUleb(body.length), ...body];
const CONST = 0x41,
  DROP = 0x1a,
  CALL = 0x10,
  END = 0x0b;
// Function i: family i % 6's constants (one changed by i), then a call to
// the function before it.
const FUNCS = 36;
const code = (i) => {
  const out = [];
  for (let k = 0; k < 24; k++) out.push(CONST, (((i % 6) * 37 + k * ((i % 6) + 3)) ^ (k === i % 24 ? i : 0)) & 63, DROP);
  if (i) out.push(CALL, ...toUleb(i - 1));
  return [...out, END];
};
const bodies = [...Array(FUNCS).keys()].map((i) => [0, ...code(i)]);
const module = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [1, 0x60, 0, 0]),
  ...section(3, [...toUleb(FUNCS), ...Array(FUNCS).fill(0)]),
  ...section(7, [1, 1, 0x66, 0x00, ...toUleb(FUNCS - 1)]),
  ...section(10, [...toUleb(FUNCS), ...bodies.flatMap((b) => [...toUleb(b.length), ...b])]),
]);
// Node without a second core: no worker.
const one = join(dir, "one-core.mjs");
writeFileSync(
  one,
  'import os from "node:os"; import { syncBuiltinESMExports } from "node:module"; os.availableParallelism = () => 1; syncBuiltinESMExports();\n',
);

let runs = 0;
const run = ([options, search], flags = []) => {
  const path = join(dir, `${runs++}.wasm`);
  writeFileSync(path, module);
  const ran = spawnSync(process.execPath, [...flags, script, `--order=${path}.json`, ...options, path, ...search], { encoding: "utf8" });
  assert.equal(ran.status, 0, ran.stderr);
  assert.doesNotMatch(ran.stderr, /WARNING/);
  return { bytes: readFileSync(path), order: JSON.parse(readFileSync(`${path}.json`, "utf8")) };
};

for (const [name, search] of [
  ["every move gzipped whole", [[], ["2"]]],
  ["swaps too", [["--swaps"], ["2"]]],
  ["the estimate's first three moves of each gzipped whole", [[], ["2", "8", "3"]]],
  ["the same from the link order reversed", [["--reversed"], ["2", "8", "3"]]],
]) {
  test(`order-functions (${name}) reorders a module whose link order gzips worse, the same way each run`, () => {
    new WebAssembly.Module(module);
    const first = run(search), second = run(search), alone = run(search, ["--import", one]);
    assert.notDeepEqual(first.order, [...Array(FUNCS).keys()]);
    assert.ok(gzipSync(first.bytes, { level: 9 }).length < gzipSync(module, { level: 9 }).length);
    for (const again of [second, alone]) {
      assert.deepEqual(again.order, first.order);
      assert.ok(again.bytes.equals(first.bytes));
    }
  });
}

// --reversed starts elsewhere, so it lands elsewhere: a flag read but not
// used would give the plain search's order.
test("order-functions --reversed searches from another first order", () => {
  const plain = run([[], ["2", "8", "3"]]), reversed = run([["--reversed"], ["2", "8", "3"]]);
  assert.notDeepEqual(reversed.order, plain.order);
});
