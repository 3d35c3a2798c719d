// Results assembled in JS from one string and the UTF-16 lengths of its
// parts: one string crosses the boundary, instead of JSON text that Rust
// writes and JSON.parse reads back (a third of a callback check's time).
export function started(text, urlLength, stateLength, pendingLength, flowExpiresAt) {
  const stateEnd = urlLength + stateLength;
  const pendingEnd = stateEnd + pendingLength;
  return {
    url: text.slice(0, urlLength),
    state: text.slice(urlLength, stateEnd),
    pending: text.slice(stateEnd, pendingEnd),
    flowId: text.slice(pendingEnd),
    flowExpiresAt,
  };
}

// Taken at load: app code that patches TextDecoder.prototype later runs
// none of it while a view of the wasm's memory is read (reviews 105 A, F).
// ignoreBOM keeps a leading U+FEFF as the part's own.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const decode = utf8.decode.bind(utf8);

// As started, from the wasm's ASCII bytes (full build): no UTF-8 check in
// Rust, and this decoder, not the glue's fatal one.
export function startedBytes(bytes, urlLength, stateLength, pendingLength, flowExpiresAt) {
  return started(decode(bytes), urlLength, stateLength, pendingLength, flowExpiresAt);
}

// The UTF-16 length of `length` bytes of UTF-8 in `bytes` from `at`: a
// continuation byte is no unit, a four-byte lead two. Callers read every
// part's length so before their first cut: app code a cut runs (a patched
// String.prototype.slice) may grow the wasm's memory and detach the view
// (review 105 B, F).
function units(bytes, at, length) {
  let n = 0;
  for (let i = at; i < at + length; i++) n += ((bytes[i] & 0xc0) !== 0x80) + (bytes[i] >= 0xf0);
  return n;
}

// The callback's parts (code, state, payload, iss, then the flow id) as
// UTF-8 bytes and their byte lengths; -1 is null (no payload, no iss).
export function callback(bytes, codeLength, stateLength, payloadLength, issLength, flowExpiresAt, payloadVerified) {
  const text = decode(bytes);
  const ascii = text.length === bytes.length;
  let at = 0;
  const sized = (length) => (length < 0 || ascii ? length : units(bytes, (at += length) - length, length));
  const [code, state, payload, iss] = [sized(codeLength), sized(stateLength), sized(payloadLength), sized(issLength)];
  let from = 0;
  const next = (length) => (length < 0 ? null : text.slice(from, (from += length)));
  return { code: next(code), state: next(state), payload: next(payload), payloadVerified, iss: next(iss), flowId: next(Infinity), flowExpiresAt };
}

// As callback, in the full build: the ASCII case (every part a slice of one
// decode, its lengths numbers already) without the sizing; the page
// keeps the smaller one.
export function callbackParts(bytes, codeLength, stateLength, payloadLength, issLength, flowExpiresAt, payloadVerified) {
  const text = decode(bytes);
  if (text.length !== bytes.length) return callback(bytes, codeLength, stateLength, payloadLength, issLength, flowExpiresAt, payloadVerified);
  const stateEnd = codeLength + stateLength;
  let at = stateEnd;
  const payload = payloadLength < 0 ? null : text.slice(at, (at += payloadLength));
  const iss = issLength < 0 ? null : text.slice(at, (at += issLength));
  return { code: text.slice(0, codeLength), state: text.slice(codeLength, stateEnd), payload, payloadVerified, iss, flowId: text.slice(at), flowExpiresAt };
}

// A token result from the wasm's UTF-8 parts (a view of its memory) and
// their byte lengths (another), in token_to_js' order: the object JSON.parse
// gave before, its fields in the same order, `raw` not enumerable.
export function tokenParts(bytes, lengths, expiresAt, obtainedAt, flags) {
  const text = decode(bytes);
  const ascii = text.length === bytes.length;
  const count = lengths.length;
  const ends = new Float64Array(count);
  for (let i = 0, at = 0, end = 0; i < count; i++) {
    const length = lengths[i];
    if (length === 0xffffffff) ends[i] = -1;
    else ends[i] = end += ascii ? length : units(bytes, (at += length) - length, length);
  }
  const parts = [];
  for (let i = 0, from = 0; i < count; i++) parts[i] = ends[i] < 0 ? null : text.slice(from, (from = ends[i]));
  const [accessToken, tokenType, refreshToken, companyId, extra, raw] = parts;
  const scopes = parts.slice(6);
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
  Object.defineProperty(token, "raw", { __proto__: null, value: raw });
  return token;
}

// A view of the wasm's memory (the callback's input region).
export function view(memory, address, length) {
  return new Uint8Array(memory.buffer, address, length);
}

// Whether the global `document` exists (a browser page), read on each call.
// Here rather than through js_sys::global() and Reflect.get, whose four
// probes of the global object cost ~0.5 KB of module and glue.
export function hasDocument() {
  return typeof document !== "undefined" && document !== null;
}
