// A number's unsigned LEB128 bytes (the wasm format's numbers), written by
// the build's wasm scripts (merge-data.mjs, order-functions.mjs). Each
// reads numbers its own way, on purpose: merge-data refuses an address past
// 32 bits (review 129 M).
export const toUleb = (value) => {
  const out = [];
  do {
    out.push((value & 127) | (value > 127 ? 128 : 0));
    value = Math.floor(value / 128);
  } while (value);
  return Uint8Array.from(out);
};
