// The page build's glue (partner-oauth/page): binds the raw exports of
// src/wasm/raw.rs by hand, in place of wasm-bindgen's generated glue (issue
// 26: fewer bytes). It copies arguments into the wasm's memory and answers
// out of it, and throws the errors the wasm wrote; every decision stays in
// the wasm. build-pkg.sh ships it as page/partner_oauth.js, its imports
// pointed at the full build's copies of these files, so both builds throw
// the same OAuthError class.
import { PAGE_CODES, PAGE_MESSAGES } from "../error-codes.js";
import { OAuthError } from "./oauth_error.js";
import { clientOptions, encoder, startOptions } from "./options.js";
import { callbackFrom as readCallback, decode, startedFrom as readStart, utf8 } from "./results.js";

// The module's exports, one letter each (raw.rs names them). No stack
// pointer among them: each export puts it at its top first (build-wasm.sh),
// since a RangeError or trap unwinds the wasm's frames without their
// epilogues (review 110 F3), and nothing here needs to.
let wasm;
// Taken at load: the memory's buffer getter and ArrayBuffer's byteLength
// getter (bound to `call`: no lookup when they run), the typed arrays'
// makers (a maker given a buffer or a typed array reads no property). A
// page's replacement of any of them after load then runs nothing between an
// export's return and the copies of its answer (review 108 A). Code run
// before load is the platform this glue is given (review 109): the buffer's
// getter is still called only once the memory grew.
const { call } = Function.prototype;
const bufferOf = call.bind(Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, "buffer").get);
const byteLengthOf = call.bind(Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get);
const Bytes = Uint8Array, Numbers = Float64Array;

// The wasm's memory, and a view of it made anew once it has grown (growing
// detaches the buffer: its length then reads 0, as the first, empty one's
// does).
let buffer = new ArrayBuffer(0), bytes;
const memory = () => (byteLengthOf(buffer) ? bytes : (bytes = new Bytes((buffer = bufferOf(wasm.memory)))));

// Random bytes from a 1 KiB pool: crypto.getRandomValues costs ~2 µs a call
// in Node (half a start), and one refill serves 21 starts. Each byte is
// handed out once and zeroed in the pool. Copies `count` of them into the
// wasm's memory at `at`; returns how many: 0 when the platform had none (the
// wasm answers random_unavailable).
// A refill fills a new array and only then becomes the pool: a
// getRandomValues that draws from this library meanwhile (a wrapper) draws
// from a pool of its own, never from this one's bytes.
// Its size is a constant of ours, not the array's `length` (a getter a
// page can replace); none drawn yet reads as all drawn.
let pool, drawn = 1024;
const draw = (at, count) => {
  if (drawn + count > 1024) {
    const fresh = new Bytes(1024);
    try {
      crypto.getRandomValues(fresh);
    } catch {
      return 0;
    }
    pool = fresh;
    drawn = 0;
  }
  // A loop: faster than a subarray, set and fill for a few dozen bytes.
  const into = memory();
  for (let i = 0; i < count; i++, drawn++) {
    into[at + i] = pool[drawn];
    pool[drawn] = 0;
  }
  return count;
};

// An export's input: a new buffer of the wasm's, which the export takes over,
// holding `random` bytes from the pool (when asked for), then each text as
// UTF-8. Returns the export's first arguments: the buffer's address and
// capacity, the random bytes' count (when asked for), then each text's byte
// length, or -1 for a value that is not a string and -2 for a text over
// TEXT_MAX (the wasm refuses both). A text is a primitive string: its
// length reads the same both times.
// TEXT_MAX bounds the copy (3 bytes a UTF-16 unit), far above every limit of
// the core's: a longer text is not copied (the capacity stays well inside
// the wasm's 32-bit addresses).
const TEXT_MAX = 1 << 24;
// The arguments are a Float64Array: its indices are its own (an array's
// push and reads go through any accessor a page puts on Array.prototype's
// indices, code that could run after the handle is read). A text's slot is
// 0 until it is encoded.
const input = (random, ...texts) => {
  const args = new Numbers(4);
  let capacity = random, arg = random ? 3 : 2;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    if (!(args[arg + i] = typeof text !== "string" ? -1 : text.length > TEXT_MAX ? -2 : 0)) capacity += text.length * 3;
  }
  const at = (args[0] = wasm.a(capacity) >>> 0);
  args[1] = capacity;
  let next = at + (random && (args[2] = draw(at, random)));
  // Again while the view's buffer was detached: a replaced encodeInto that
  // calls in first may grow the memory, and the real one then writes none
  // of the text (review 126 A).
  for (let i = 0, was; i < texts.length; i++)
    if (!args[arg + i]) {
      do {
        memory();
        was = buffer;
        args[arg + i] = encoder.encodeInto(texts[i], bytes.subarray(next, at + capacity)).written;
      } while (!byteLengthOf(was));
      next += args[arg + i];
    }
  return args;
};

// The answer of an export that returned `failed` (see raw.rs): throws the
// OAuthError it holds, or returns `read(bytes, slots)` (the export's own
// numbers from slot 4); frees its buffer either way. Read after the call:
// it may have grown the memory.
const answer = (failed, read = (part) => utf8.decode(part)) => {
  // Copies first: a TextDecoder replaced by a caller could call in again
  // while the answer is read, overwrite the slots and grow the memory.
  memory();
  const numbers = new Numbers(new Numbers(buffer, wasm.s(), 12));
  const part = new Bytes(new Bytes(buffer, numbers[0], numbers[1]));
  try {
    if (failed) {
      // The error's fields one after another, as raw.rs' `failed` wrote
      // them (the slots from 4: the code's index in error-codes.js'
      // PAGE_CODES, the message's in PAGE_MESSAGES, the byte lengths of
      // the provider code and message, -1 for a field it has not, then of
      // the message's four parts; the page reads no response and refuses
      // no token, so no status, body excerpt or refreshAndRetry). The
      // provider's fields come first (only an error without parts has
      // them: no part can shift them). The message's template comes split
      // at its `{}` (generated so: no split, reduce or RegExp runs, none a
      // page could replace); each `{}` takes the next part (none left: "",
      // as the full build's `fill`). The provider's fields follow the
      // message, as Error::detail adds them in the full build. `decode` is
      // the one taken at load: a page's replacement after load runs
      // nothing here. Below -1: a number part, -2 - n (no decimal writer
      // in the wasm).
      let at = 0;
      const text = (length) => (length < -1 ? -2 - length : length < 0 ? null : decode(part.subarray(at, (at += length))));
      const providerCode = text(numbers[6]), providerMessage = text(numbers[7]), pieces = PAGE_MESSAGES[numbers[5]];
      let message = pieces[0];
      for (let i = 1; i < pieces.length; i++) message += text(numbers[7 + i]) + pieces[i];
      throw new OAuthError(PAGE_CODES[numbers[4]], providerCode == null ? message : `${message} (provider: ${providerCode}${providerMessage == null ? "" : `: ${providerMessage}`})`, { providerCode, providerMessage });
    }
    return read(part, numbers);
  } finally {
    // The buffer's address and capacity, from the copy.
    wasm.d(numbers[2], numbers[3]);
  }
};

// The answers of the constructor, start and callback (raw.rs says which
// slot holds what; the start's and callback's in results.js): one function
// each, not a new one a call (~2 % of a callback).
const readHandle = (_, slots) => slots[4];
// Frees the clients a program drops without free(), as wasm-bindgen's glue
// does. It holds the client's cell, not its handle: a free() before it runs
// (even one a replaced `register` makes) leaves it 0 to free, never twice.
// (`f` takes one argument; the second zeroes the cell after the handle's read.)
const release = (cell) => wasm.f(cell[0], (cell[0] = 0));
const clients = new FinalizationRegistry(release);

export class OAuthClient {
  // [handle] (an own index): the wasm's pointer to the client; 0 once freed
  // (the wasm then answers invalid_argument). Private: no caller can forge
  // one.
  #cell;

  constructor(options) {
    const a = input(0, clientOptions(options));
    // Whether the global `document` exists (a browser page), read on each call.
    clients.register(this, (this.#cell = [answer(wasm.n(a[0], a[1], a[2], typeof document !== "undefined" && document !== null), readHandle)]), this);
  }

  get provider() {
    return answer(wasm.p(this.#cell[0], 0));
  }

  get environment() {
    return answer(wasm.p(this.#cell[0], 1));
  }

  // The handle is read last, after every call into code this glue does not
  // own (options' getters, Date.now, crypto.getRandomValues, encodeInto),
  // any of which may free this client: the wasm then gets 0, never a freed
  // client. Arguments go by index, not spread (an iterator is such code).
  startAuthorization(options) {
    const record = startOptions(options);
    const now = Date.now();
    const a = input(48, record);
    return answer(wasm.t(this.#cell[0], a[0], a[1], a[2], a[3], now), readStart);
  }

  parseCallback(url, pending) {
    // null (sessionStorage.getItem found nothing) reads as "", which the
    // core names missing_pending.
    const now = Date.now();
    const a = input(0, url, pending ?? "");
    return answer(wasm.c(this.#cell[0], a[0], a[1], a[2], a[3], now), readCallback);
  }

  free() {
    clients.unregister(this);
    release(this.#cell);
  }
}
if (Symbol.dispose) OAuthClient.prototype[Symbol.dispose] = OAuthClient.prototype.free;

export function newPkceVerifier() {
  const a = input(32);
  return answer(wasm.v(a[0], a[1], a[2]));
}

export function pkceChallenge(verifier) {
  const a = input(0, verifier);
  return answer(wasm.h(a[0], a[1], a[2]));
}

/** Instantiates the module from its bytes or a compiled Module ({ module }). */
export function initSync({ module }) {
  return (wasm ??= new WebAssembly.Instance(module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module)).exports);
}

/** Instantiates the module from `source`: a Response (page.js, its one
 * caller, fetches), its bytes or a compiled Module, or a promise of one
 * (awaited first: never left unhandled). The module imports nothing. */
export default async function init(source) {
  source = await source;
  if (wasm) return wasm;
  let made;
  if (source instanceof Response) {
    if (!source.ok) throw new Error(`partner-oauth/page: ${source.url || "the wasm"} did not load (HTTP ${source.status}): serve page/partner_oauth_bg.wasm beside the bundle`);
    try {
      // Compiles while the bytes arrive.
      made = await WebAssembly.instantiateStreaming(source);
    } catch (e) {
      // Only a server that sends another MIME type gets the slower path.
      if (source.headers.get("content-type") === "application/wasm") throw e;
      source = await source.arrayBuffer();
    }
  }
  made ??= await WebAssembly.instantiate(source);
  // `made`: an Instance, or { module, instance }. The first instance stays:
  // an init still in flight when another finished would otherwise replace
  // it, and the clients made meanwhile would hand its pointers to another
  // instance's memory.
  return (wasm ??= (made.instance ?? made).exports);
}
