// scripts/leb.mjs: the build scripts' shared LEB128 writer and u32 reader.
import { test } from "node:test";
import assert from "node:assert/strict";
import { toUleb, uleb } from "../../scripts/leb.mjs";

test("u32 values round-trip through the writer and the reader, at their widths", () => {
  for (const [value, width] of [[0, 1], [127, 1], [128, 2], [16383, 2], [16384, 3], [2 ** 28 - 1, 4], [2 ** 28, 5], [2 ** 32 - 1, 5]]) {
    const bytes = Uint8Array.from([0xaa, ...toUleb(value), 0xbb]);
    assert.equal(toUleb(value).length, width, `${value}`);
    assert.deepEqual(uleb(bytes, 1), [value, 1 + width], `${value}`);
  }
  // A longer encoding of a small number is still that number (the format allows it).
  assert.deepEqual(uleb(Uint8Array.from([0x85, 0x80, 0x00]), 0), [5, 3]);
});

test("a number past 32 bits or past the end is refused, not read", () => {
  assert.throws(() => uleb(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x10]), 0), RangeError); // 2^32
  assert.throws(() => uleb(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x8f, 0x00]), 0), RangeError); // a sixth byte
  assert.throws(() => uleb(Uint8Array.from([0x80, 0x80]), 0), RangeError); // runs off the end
  assert.throws(() => uleb(Uint8Array.from([]), 0), RangeError);
});
