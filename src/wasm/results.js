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

// A length of -1 is null (no payload, no iss).
export function callback(text, codeLength, stateLength, payloadLength, issLength, flowExpiresAt, payloadVerified) {
  let at = 0;
  const next = (length) => {
    if (length < 0) return null;
    const part = text.slice(at, at + length);
    at += length;
    return part;
  };
  const code = next(codeLength);
  const state = next(stateLength);
  const payload = next(payloadLength);
  const iss = next(issLength);
  return { code, state, payload, payloadVerified, iss, flowId: text.slice(at), flowExpiresAt };
}

// Whether the global `document` exists (a browser page), read on each call.
// Here rather than through js_sys::global() and Reflect.get, whose four
// probes of the global object cost ~0.5 KB of module and glue.
export function hasDocument() {
  return typeof document !== "undefined" && document !== null;
}
