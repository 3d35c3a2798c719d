// The reviews' differential scripts' random bytes: xorshift32 in place of the platform's getRandomValues, so that two
// packages given the same seed draw the same bytes.
export function xorshift(seed) {
  let s = seed >>> 0 || 1;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>>= 0));
  const fill = (a) => {
    const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < b.length; i++) b[i] = next() & 255;
    return a;
  };
  Object.defineProperty(globalThis.crypto, "getRandomValues", { value: fill, configurable: true, writable: true });
  return { next, fill };
}
