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
