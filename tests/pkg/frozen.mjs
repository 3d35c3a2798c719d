// The reviews' differential scripts' shared helpers. Random bytes: xorshift32 in place of the platform's getRandomValues, so that two
// packages given the same seed draw the same bytes.
import { createHash } from "node:crypto";

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

/** A short hash of a JSON value, as the reviews' frozen answers are kept. */
export const hash = (x) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 16);

/** The random bytes from `seed` and the clock stopped at `now`. */
export function freeze(seed, now = 1765000000000) {
  const r = xorshift(seed);
  Date.now = () => now;
  return r;
}

const shape = (r) => (r === undefined ? "undefined" : JSON.parse(JSON.stringify(r)));
const caught = (e) => (e && e.code ? ["ERR", e.code, e.message] : ["THROW", e?.name ?? String(e), String(e?.message).slice(0, 100)]);
/** A call's answer as JSON, or its error as ["ERR", code, message] (["THROW", name, message] when untyped). */
export const outcome = (f) => {
  try {
    return shape(f());
  } catch (e) {
    return caught(e);
  }
};
export const outcomeAsync = async (f) => {
  try {
    return shape(await f());
  } catch (e) {
    return caught(e);
  }
};
/** An outcome's code: "ok", the error's code, or "THROW". */
export const codeOf = (a) => (Array.isArray(a) && a[0] === "ERR" ? a[1] : Array.isArray(a) && a[0] === "THROW" ? "THROW" : "ok");

/** A pending value's creation time and fields (p2.<body>[.<mac>]), each field as text in `encoding`, or null. */
export function pendingFields(p, encoding = "utf8") {
  const text = String(p);
  if (!text.startsWith("p2.")) return null;
  const body = Buffer.from(text.slice(3).split(".")[0], "base64url");
  const fields = [];
  let at = 8;
  for (let i = 0; i < 7; i++) {
    const len = body.readUInt16BE(at);
    at += 2;
    if (len === 0xffff) fields.push(null);
    else (fields.push(body.subarray(at, at + len).toString(encoding)), (at += len));
  }
  return { created: body.readBigUInt64BE(0), fields };
}

/** An unsealed pending value (p2.<body>, no MAC) from its creation time and fields (null: absent). */
export function forgePending(created, fields) {
  const parts = [Buffer.alloc(8)];
  parts[0].writeBigUInt64BE(BigInt(created));
  for (const f of fields) {
    const h = Buffer.alloc(2);
    if (f === null) (h.writeUInt16BE(0xffff), parts.push(h));
    else { const b = Buffer.from(f, "utf8"); h.writeUInt16BE(b.length); parts.push(h, b); }
  }
  return "p2." + Buffer.concat(parts).toString("base64url");
}

/** SHA-256's state after one 64-byte block (a Buffer), in both byte orders: what an HMAC pad's midstate looks like in
 * memory. node:crypto does not expose it; the reviews' residue scans search for it. */
export function midstate(block) {
  const K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
  const H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const r = (x, n) => (x >>> n) | (x << (32 - n));
  const w = [];
  for (let i = 0; i < 16; i++) w[i] = block.readUInt32BE(i * 4);
  for (let i = 16; i < 64; i++) w[i] = (w[i - 16] + (r(w[i - 15], 7) ^ r(w[i - 15], 18) ^ (w[i - 15] >>> 3)) + w[i - 7] + (r(w[i - 2], 17) ^ r(w[i - 2], 19) ^ (w[i - 2] >>> 10))) >>> 0;
  let [a, b, c, d, e, f, g, h] = H;
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (r(e, 6) ^ r(e, 11) ^ r(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
    const t2 = ((r(a, 2) ^ r(a, 13) ^ r(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
    (h = g), (g = f), (f = e), (e = (d + t1) >>> 0), (d = c), (c = b), (b = a), (a = (t1 + t2) >>> 0);
  }
  const out = [a, b, c, d, e, f, g, h].map((x, i) => (x + H[i]) >>> 0);
  const be = Buffer.alloc(32), le = Buffer.alloc(32);
  out.forEach((x, i) => (be.writeUInt32BE(x, i * 4), le.writeUInt32LE(x, i * 4)));
  return { be, le };
}

/** A key's HMAC secrets as they lie in memory: the key, its ipad and opad blocks, SHA-256's state after each (both
 * byte orders); 16 bytes of each. */
export function hmacSecrets(key) {
  const k = Buffer.alloc(64);
  Buffer.from(key).copy(k);
  const ipad = Buffer.from(k.map((x) => x ^ 0x36)), opad = Buffer.from(k.map((x) => x ^ 0x5c));
  const i = midstate(ipad), o = midstate(opad);
  return Object.fromEntries(Object.entries({ key: k, ipad, opad, innerBE: i.be, innerLE: i.le, outerBE: o.be, outerLE: o.le }).map(([n, b]) => [n, b.subarray(0, 16)]));
}
