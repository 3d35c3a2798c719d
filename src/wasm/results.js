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
// none of it here (review 105 A). ignoreBOM keeps a leading U+FEFF as the
// part's own. raw.js' answers call the instance's own `decode` (page.test.mjs
// pins that they call a replaced one), its error path this one (review
// 120's log pins that it does not); one decoder for both: fewer bytes.
export const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
export const decode = utf8.decode.bind(utf8);

// The page build's answers (raw.js): `slots` from 4 are the export's
// numbers. A start's: the url's, state's and pending value's UTF-16
// lengths, then the flow's expiry; as `started`, its text decoded here.
export const startedFrom = (part, slots) => {
  const text = utf8.decode(part);
  let at = 0;
  return { url: text.slice(at, (at += slots[4])), state: text.slice(at, (at += slots[5])), pending: text.slice(at, (at += slots[6])), flowId: text.slice(at), flowExpiresAt: slots[7] };
};

// A callback's parts (code, state, payload, iss, then the flow id) from
// UTF-8 bytes the caller owns (raw.js' copy, callbackParts'), and their
// byte lengths (slots 4 to 7; -1 is null: no payload, no iss), then the
// flow's expiry and 1 when the payload is verified.
export const callbackFrom = (bytes, slots) => {
  const text = decode(bytes);
  // ASCII (the usual case): byte offsets are string offsets.
  const ascii = text.length === bytes.length;
  let at = 0;
  // Infinity: the rest (slice and subarray stop at the end).
  const next = (length) => (length < 0 ? null : ascii ? text.slice(at, (at += length)) : decode(bytes.subarray(at, (at += length))));
  // The parts in their order: a literal's values are computed in order.
  return { code: next(slots[4]), state: next(slots[5]), payload: next(slots[6]), payloadVerified: slots[9] === 1, iss: next(slots[7]), flowId: next(Infinity), flowExpiresAt: slots[8] };
};

// As callbackFrom, for the full build (results-full.js): the numbers as
// arguments.
export function callback(bytes, codeLength, stateLength, payloadLength, issLength, flowExpiresAt, payloadVerified) {
  const text = decode(bytes);
  const ascii = text.length === bytes.length;
  let at = 0;
  const next = (length) => (length < 0 ? null : ascii ? text.slice(at, (at += length)) : decode(bytes.subarray(at, (at += length))));
  return { code: next(codeLength), state: next(stateLength), payload: next(payloadLength), payloadVerified, iss: next(issLength), flowId: next(Infinity), flowExpiresAt };
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
