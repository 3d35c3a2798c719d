// The page build's glue (partner-oauth/page): binds the raw exports of
// src/wasm/raw.rs by hand, in place of wasm-bindgen's generated glue (issue
// 26: fewer bytes). It copies arguments into the wasm's memory and answers
// out of it, and throws the errors the wasm wrote; every decision stays in
// the wasm. build-pkg.sh ships it as page/partner_oauth.js, its imports
// pointed at the full build's copies of these files, so both builds throw
// the same OAuthError class.
import { oauthError } from "./oauth_error.js";
import { clientOptions, startOptions } from "./options.js";
import { callback, hasDocument, started } from "./results.js";

let wasm, bytes, slots;
const encoder = new TextEncoder();
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

// Views of the wasm's memory, made anew once it has grown: growing detaches
// the buffer under the old views (their length then reads 0).
function memory() {
  if (!bytes?.byteLength) {
    bytes = new Uint8Array(wasm.memory.buffer);
    slots = new Float64Array(wasm.memory.buffer, wasm.slots(), 11);
  }
  return bytes;
}

// Random bytes from a 1 KiB pool: crypto.getRandomValues costs ~2 µs a call
// in Node (half a start), and one refill serves 21 starts. Each byte is
// handed out once and zeroed in the pool. Returns how many it wrote into
// `into`: 0 when the platform had none (the wasm answers random_unavailable).
const pool = new Uint8Array(1024);
let drawn = pool.length;
function draw(into) {
  if (drawn + into.length > pool.length) {
    try {
      crypto.getRandomValues(pool);
    } catch {
      return 0;
    }
    drawn = 0;
  }
  const fresh = pool.subarray(drawn, (drawn += into.length));
  into.set(fresh);
  fresh.fill(0);
  return into.length;
}

// An export's input: a new buffer of the wasm's, which the export takes over,
// holding `random` bytes from the pool (when asked for), then each text as
// UTF-8. Returns the export's first arguments: the buffer's address and
// capacity, the random bytes' count (when asked for), then each text's byte
// length, or -1 for a value that is not a string (the wasm refuses it).
function input(random, ...texts) {
  let capacity = random;
  for (const text of texts) if (typeof text === "string") capacity += text.length * 3;
  const at = wasm.alloc(capacity) >>> 0;
  const args = [at, capacity];
  let next = at;
  if (random) args.push((next += draw(memory().subarray(at, at + random))) - at);
  for (const text of texts) {
    if (typeof text !== "string") {
      args.push(-1);
      continue;
    }
    const { written } = encoder.encodeInto(text, memory().subarray(next, at + capacity));
    next += written;
    args.push(written);
  }
  return args;
}

// The answer of an export that returned `failed` (see raw.rs): throws the
// OAuthError it holds, or returns `read(bytes, numbers)`; frees its buffer
// either way. Read after the call: it may have grown the memory.
function answer(failed, read = (part) => utf8.decode(part)) {
  memory();
  const [at, length, buffer, capacity, ...numbers] = slots;
  const part = bytes.subarray(at, at + length);
  try {
    if (failed) throw error(part, numbers);
    return read(part, numbers);
  } finally {
    wasm.dealloc(buffer, capacity);
  }
}

// The error's fields one after another, by their byte lengths, as raw.rs'
// `failed` wrote them.
function error(part, [code, message, providerCode, providerMessage, excerpt, status, bits]) {
  let at = 0;
  const text = (length) => utf8.decode(part.subarray(at, (at += length)));
  return oauthError(text(code), text(message), status < 0 ? undefined : status, text(providerCode), text(providerMessage), text(excerpt), bits & 7, bits > 7);
}

// Frees the clients a program drops without free(), as wasm-bindgen's glue
// does.
const clients = new FinalizationRegistry((handle) => wasm.client_free(handle));

export class OAuthClient {
  // The wasm's pointer to the client; 0 once freed (the wasm then answers
  // invalid_argument). Private: no caller can forge one.
  #handle;

  constructor(options) {
    const record = clientOptions(options);
    this.#handle = answer(wasm.client_new(...input(0, record), hasDocument()), (_, [handle]) => handle);
    clients.register(this, this.#handle, this);
  }

  get provider() {
    return answer(wasm.client_provider(this.#handle));
  }

  get environment() {
    return answer(wasm.client_environment(this.#handle));
  }

  startAuthorization(options) {
    const record = startOptions(options);
    return answer(wasm.start(this.#handle, ...input(48, record), Date.now()), (part, [url, state, pending, flowExpiresAt]) =>
      started(utf8.decode(part), url, state, pending, flowExpiresAt),
    );
  }

  parseCallback(url, pending) {
    // null (sessionStorage.getItem found nothing) reads as "", which the
    // core names missing_pending.
    return answer(wasm.callback(this.#handle, ...input(0, url, pending ?? ""), Date.now()), (part, [code, state, payload, iss, flowExpiresAt, verified]) =>
      callback(part, code, state, payload, iss, flowExpiresAt, verified === 1),
    );
  }

  free() {
    const handle = this.#handle;
    this.#handle = 0;
    clients.unregister(this);
    wasm.client_free(handle);
  }
}
if (Symbol.dispose) OAuthClient.prototype[Symbol.dispose] = OAuthClient.prototype.free;

export function newPkceVerifier() {
  return answer(wasm.pkce_verifier(...input(32)));
}

export function pkceChallenge(verifier) {
  return answer(wasm.pkce_challenge(...input(0, verifier)));
}

function ready(instance) {
  wasm = instance.exports;
  bytes = undefined;
  return wasm;
}

/** Instantiates the module from its bytes or a compiled Module ({ module }). */
export function initSync({ module }) {
  return wasm ?? ready(new WebAssembly.Instance(module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module)));
}

/** Fetches and instantiates the module ({ module_or_path }: a URL, a
 * Response, its bytes or a compiled Module), as page.js does. */
export default async function init({ module_or_path: source }) {
  if (wasm) return wasm;
  if (typeof source === "string" || source instanceof URL || source instanceof Request) source = fetch(source);
  source = await source;
  if (source instanceof Response) {
    if (!source.ok) throw new Error(`partner-oauth/page: the wasm did not load (HTTP ${source.status})`);
    try {
      // Compiles while the bytes arrive.
      return ready((await WebAssembly.instantiateStreaming(source, {})).instance);
    } catch (e) {
      // Only a server that sends another MIME type gets the slower path.
      if (source.headers.get("content-type") === "application/wasm") throw e;
    }
    source = await source.arrayBuffer();
  }
  const made = await WebAssembly.instantiate(source, {});
  return ready(made.instance ?? made);
}
