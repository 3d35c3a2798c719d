// The wasm format's numbers (LEB128), for the build's wasm scripts.
// merge-data.mjs and order-functions.mjs keep readers of their own on
// purpose: merge-data refuses an address past 32 bits (review 129 M),
// order-functions throws its own error to tell "unread" from a failure.

// A number's unsigned LEB128 bytes.
export const toUleb = (value) => {
  const out = [];
  do {
    out.push((value & 127) | (value > 127 ? 128 : 0));
    value = Math.floor(value / 128);
  } while (value);
  return Uint8Array.from(out);
};

// The unsigned LEB128 at bytes[at], read as a u32 (every count, size and
// index in a module is one): [value, next]. A number that runs past the
// end or past 32 bits is refused, not read as something else.
export const uleb = (bytes, at) => {
  let value = 0,
    shift = 0,
    byte;
  do {
    byte = bytes[at++];
    if (byte === undefined || shift > 28 || (shift === 28 && byte > 15))
      throw new RangeError(`a number at byte ${at - 1} runs past the module's end or 32 bits`);
    value += (byte & 127) * 2 ** shift;
    shift += 7;
  } while (byte & 128);
  return [value, at];
};
