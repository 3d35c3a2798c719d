// The full build's results read from views of the wasm's memory (the page
// build's raw.js copies its answer before results.js reads it).
import { callback, decode, started } from "./results.js";

// Each view of the wasm's memory (one a call) is copied first, by nothing
// app code can replace (taken at load; its size from the wasm, not the
// view's getter): app code run later (a patched slice, a prototype's setter,
// a TextDecoder replaced before load) that calls the package can grow the
// memory and detach the view (reviews 105, 107, 108).
const { apply, defineProperty } = Reflect;
const { set, fill } = Uint8Array.prototype;
const [Bytes, Numbers] = [Uint8Array, Float64Array];
function own(view, size) {
  const copy = new Bytes(size);
  apply(set, copy, [view]);
  return copy;
}

// As started, from the wasm's ASCII bytes: no UTF-8 check in Rust, and this
// decoder, not the glue's fatal one. Copied into a buffer kept for the next
// start (a new one a start cost ~10 %) and zeroed after (the pending value
// may hold the verifier); a start re-entered meanwhile (a TextDecoder
// replaced before load) takes a new one.
const scratchBuffer = new ArrayBuffer(1024);
const scratch = new Bytes(scratchBuffer);
let scratchBusy = false;
export function startedBytes(view, size, urlLength, stateLength, pendingLength, flowExpiresAt) {
  if (scratchBusy || size > 1024) return started(decode(own(view, size)), urlLength, stateLength, pendingLength, flowExpiresAt);
  scratchBusy = true;
  try {
    apply(set, scratch, [view]);
    return started(decode(new Bytes(scratchBuffer, 0, size)), urlLength, stateLength, pendingLength, flowExpiresAt);
  } finally {
    apply(fill, scratch, [0, 0, size]);
    scratchBusy = false;
  }
}

// As callback: the ASCII case (every part a slice of one decode) without a
// closure over its parts; the page keeps the smaller one.
export function callbackParts(view, size, codeLength, stateLength, payloadLength, issLength, flowExpiresAt, payloadVerified) {
  const bytes = own(view, size);
  const text = decode(bytes);
  if (text.length !== size) return callback(bytes, codeLength, stateLength, payloadLength, issLength, flowExpiresAt, payloadVerified);
  const stateEnd = codeLength + stateLength;
  let at = stateEnd;
  const payload = payloadLength < 0 ? null : text.slice(at, (at += payloadLength));
  const iss = issLength < 0 ? null : text.slice(at, (at += issLength));
  return { code: text.slice(0, codeLength), state: text.slice(codeLength, stateEnd), payload, payloadVerified, iss, flowId: text.slice(at), flowExpiresAt };
}

// A token result from the wasm's UTF-8 parts (`size` bytes) and, after
// them, their `count` byte lengths (u32, little-endian; 2^32 - 1: null), in
// token_to_js' order: the object JSON.parse gave before, its fields in the
// same order, `raw` not enumerable. Written as own properties only: an
// index setter or read-only index inherited from a prototype runs or
// refuses nothing (review 107 B).
export function tokenParts(view, size, count, expiresAt, obtainedAt, flags) {
  const copy = own(view, size + 4 * count);
  const bytes = copy.subarray(0, size);
  const lengths = new Numbers(count);
  for (let i = 0, at = size; i < count; i++, at += 4) lengths[i] = (copy[at] | (copy[at + 1] << 8) | (copy[at + 2] << 16) | (copy[at + 3] << 24)) >>> 0;
  const text = decode(bytes);
  const ascii = text.length === size;
  let from = 0;
  const next = (i) => {
    const length = lengths[i];
    if (length === 0xffffffff) return null;
    return ascii ? text.slice(from, (from += length)) : decode(bytes.subarray(from, (from += length)));
  };
  const accessToken = next(0), tokenType = next(1), refreshToken = next(2), companyId = next(3), extra = next(4), raw = next(5);
  const scopes = [];
  for (let i = 6; i < count; i++) defineProperty(scopes, i - 6, { __proto__: null, value: next(i), writable: true, enumerable: true, configurable: true });
  const token = {
    accessToken,
    tokenType,
    expiresAt: expiresAt < 0 ? null : expiresAt,
    neverExpires: (flags & 1) !== 0,
    refreshToken,
    scopes,
    scopesInferred: (flags & 2) !== 0,
    extra: extra === "" ? {} : JSON.parse(extra),
    obtainedAt,
    companyId,
  };
  // No prototype: an inherited `enumerable` or `get` changes nothing (review 105 D).
  defineProperty(token, "raw", { __proto__: null, value: raw });
  return token;
}
