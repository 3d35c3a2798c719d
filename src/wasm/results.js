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

// As started, from the wasm's ASCII bytes (full build): no UTF-8 check in
// Rust, and this decoder, not the glue's fatal one.
export function startedBytes(bytes, urlLength, stateLength, pendingLength, flowExpiresAt) {
  return started(utf8.decode(bytes), urlLength, stateLength, pendingLength, flowExpiresAt);
}

// The callback's parts as UTF-8 bytes (a view of the wasm's memory, read
// before it can move) and their byte lengths; -1 is null (no payload, no
// iss). ignoreBOM keeps a leading U+FEFF as the part's own.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
export function callback(bytes, codeLength, stateLength, payloadLength, issLength, flowExpiresAt, payloadVerified) {
  const text = utf8.decode(bytes);
  // ASCII (the usual case): byte offsets are string offsets.
  const ascii = text.length === bytes.length;
  let at = 0;
  // Infinity: the rest (slice and subarray stop at the end).
  const next = (length) => (length < 0 ? null : ascii ? text.slice(at, (at += length)) : utf8.decode(bytes.subarray(at, (at += length))));
  // The parts in their order: a literal's values are computed in order.
  return { code: next(codeLength), state: next(stateLength), payload: next(payloadLength), payloadVerified, iss: next(issLength), flowId: next(Infinity), flowExpiresAt };
}

// As callback, in the full build: the ASCII case (every part a slice of one
// decode) without a closure over its parts; the page keeps the smaller one.
export function callbackParts(bytes, codeLength, stateLength, payloadLength, issLength, flowExpiresAt, payloadVerified) {
  const text = utf8.decode(bytes);
  if (text.length !== bytes.length) return callback(bytes, codeLength, stateLength, payloadLength, issLength, flowExpiresAt, payloadVerified);
  const stateEnd = codeLength + stateLength;
  let at = stateEnd;
  const payload = payloadLength < 0 ? null : text.slice(at, (at += payloadLength));
  const iss = issLength < 0 ? null : text.slice(at, (at += issLength));
  return { code: text.slice(0, codeLength), state: text.slice(codeLength, stateEnd), payload, payloadVerified, iss, flowId: text.slice(at), flowExpiresAt };
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
