// The full build's results read from views of the wasm's memory (the page
// build's raw.js copies its answer before results.js reads it).
import { callback, decode } from "./results.js";

// Full build. A view of the wasm's memory is copied first, by nothing app
// code can replace (taken at load; its length from the wasm, not the view's
// getter): app code run later (a patched slice, a prototype's setter, a
// TextDecoder replaced before load) that calls the package can grow the
// memory and detach the view (reviews 105 B, F, 107).
const { apply, defineProperty } = Reflect;
const { set } = Uint8Array.prototype;
const [Bytes, Numbers] = [Uint8Array, Float64Array];
function own(view, size, Type = Bytes) {
  const copy = new Type(size);
  apply(set, copy, [view]);
  return copy;
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

// A token result from the wasm's UTF-8 parts (`size` bytes) and their
// `count` byte lengths (2^32 - 1: null), in token_to_js' order: the object
// JSON.parse gave before, its fields in the same order, `raw` not
// enumerable. Written as own properties only: an index setter or read-only
// index inherited from a prototype runs or refuses nothing (review 107 B).
export function tokenParts(view, size, lengthsView, count, expiresAt, obtainedAt, flags) {
  const bytes = own(view, size);
  const lengths = own(lengthsView, count, Numbers);
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
