// The package's I/O layer: sends the requests the wasm builds and hands the
// answers back to it. The rule (README, "Layout"): what to send, how to read
// the answer and which error it is are decided in Rust; timeouts, redirects,
// body reading, caching and the order of awaits are decided here. Nothing is
// decided in both. The page build never loads this file.
import { OAuthClient as Core, Exchange, JwtCheck, callbackInput } from "./partner_oauth.js";
import { OAuthError } from "__OAUTH_ERROR__";
import { clientOptions, startOptions } from "__OPTIONS__";
import { hasDocument } from "__RESULTS__";
import { parseRetryAfter } from "./lifecycle-timing.js";
import { singleFlight } from "./refresher.js";

export { createRefresher } from "./refresher.js";

// An Exchange (from `prepare*`) frees as the client: twice a no-op, then invalid_argument (review 124 N1).
Exchange.prototype.free = Exchange.prototype.release;
if (Symbol.dispose) Exchange.prototype[Symbol.dispose] = Exchange.prototype.release;

const RETRY_AFTER_MAX = 86_400;

// The wasm's entry for two strings written into its input region, kept off
// the class: only parseCallback, which has checked their types, calls it.
// (A second copy of this file over the same glue finds it gone and takes
// the general entry.)
const { parseCallbackInput } = Core.prototype;
delete Core.prototype.parseCallbackInput;
// Texts whose UTF-8 fits its half of the region (8 KiB each: a callback URL
// and pending value are a few hundred bytes) are encoded there, in the
// wasm's memory; longer ones take the general entry, which copies any
// length. The views are made again once the memory has grown.
const encoder = new TextEncoder();
// Taken at load: a replaced built-in runs no code while the region is held (none in some polyfills: review 103 B).
const { encodeInto } = TextEncoder.prototype, { apply } = Reflect;
const encode = typeof encodeInto === "function" ? encodeInto.bind(encoder) : undefined;
const fast = encode && parseCallbackInput;
let urlInput, pendingInput;
let regionBusy = false;

/** The full client: the wasm's synchronous methods, plus the exchanges. */
export class OAuthClient extends Core {
  #fetch;

  constructor(options) {
    // Before the wasm's reader, which refuses a name it does not read:
    // `fetch` is this layer's.
    const fetch = fetchOption(options);
    // The options' record (options.js throws the first wrong field's error) and whether this is a page with a
    // DOM, which the wasm's check of the secret's placement reads: one call into the wasm, none back out.
    super(clientOptions(options), hasDocument());
    this.#fetch = fetch;
  }

  /** `{ url, state, pending, flowId, flowExpiresAt }`: the wasm's, from
   * the options' record. */
  startAuthorization(options) {
    return super.startAuthorization(startOptions(options));
  }

  /** Drops the client's keys and options now; later calls throw invalid_argument and a second free() is a no-op, as
   * in the page build (wasm-bindgen's own free() threw an untyped error). The empty shell goes with the object. */
  free() {
    this.release();
  }

  /** As the wasm's, through its faster entry when both are strings (the
   * wasm still reads and checks every byte). */
  parseCallback(url, pending) {
    // One call at a time holds the region: a parseCallback re-entered while it does (from a replaced
    // `Date.now`, a time's `valueOf`, a Proxy's trap: app code run between the texts' writes and the wasm's
    // reading) takes the general entry, which copies its own texts (reviews 100 C, 102).
    if (fast && !regionBusy && typeof url === "string" && typeof pending === "string") {
      regionBusy = true;
      try {
        if (!urlInput?.byteLength) {
          const input = callbackInput();
          urlInput = input.subarray(0, input.length / 2);
          pendingInput = input.subarray(input.length / 2);
        }
        // Numbers before the glue reads the client's pointer (encodeInto's are, taken at load): a valueOf run
        // after that read could free the client (reviews 103 A, 104 B). The wasm calls no JS while it reads.
        const now = +Date.now();
        const a = encode(url, urlInput);
        const b = encode(pending, pendingInput);
        if (a.read === url.length && b.read === pending.length) return apply(fast, this, [a.written, b.written, now]);
      } catch (error) {
        // Not the core's answer (a stack overflow unwound the wasm, say): the region may be lost with its
        // frame, so the next call asks for one again (review 101 A).
        if (!(error instanceof OAuthError)) urlInput = null;
        throw error;
      } finally {
        regionBusy = false;
      }
    }
    return super.parseCallback(url, pending);
  }

  /** Authorization code → token. Never retried: a code is single use. */
  async exchangeCode(callback, pending, options) {
    return this.#run(() => this.prepareCode(callback, pending, options));
  }

  /** Refresh (RFC 6749 §6); a rotated refresh token replaces the old one. */
  async refresh(token, options) {
    return this.#run(() => this.prepareRefresh(token, options));
  }

  async clientCredentials(options) {
    return this.#run(() => this.prepareClientCredentials(options));
  }

  /** Introspection (RFC 7662, or a preset's own). A token object given here
   * gets the answer's companyId (a preset with one token per company keeps it). */
  async introspect(token) {
    const result = await this.#run(() => this.prepareIntrospection(token));
    if (token !== null && typeof token === "object" && result.companyId != null) token.companyId = result.companyId;
    return result;
  }

  async revoke(token, options) {
    return this.#run(() => this.prepareRevocation(token, options));
  }

  /** `fetch` to the provider's API with the Bearer token; the Response, or
   * the typed error when the API refuses the token. */
  async fetchApi(token, path, init) {
    const exchange = this.prepareApiCall(token, path);
    try {
      const { url, headers: ours } = exchange.request;
      // Own members only, into an object with no prototype: an inherited
      // (polluted) member never reaches fetch.
      const request = Object.assign(Object.create(null), init !== null && typeof init === "object" ? init : {});
      const given = request.headers;
      let headers;
      try {
        headers = new Headers(given !== null && typeof given === "object" ? given : undefined);
        for (const [name, value] of Object.entries(ours)) {
          // The token is always ours; other headers only where the caller set none.
          if (name.toLowerCase() === "authorization" || !headers.has(name)) headers.set(name, value);
        }
      } catch {
        // The runtime's TypeError quotes the value, which may be a secret.
        throw new OAuthError("invalid_argument", "init.headers holds a header name or value that is not valid (CR, LF, NUL or non-Latin-1)");
      }
      request.headers = headers;
      const response = await call(this.#fetch, url, request, this.timeoutMs, (text) => exchange.scrub(text));
      if (response.status < 200 || response.status > 299 || exchange.readsSuccessBody) {
        const body = await readText(response.clone(), this.timeoutMs, url, (text) => exchange.scrub(text));
        exchange.finish(response.status, response.headers.get("www-authenticate") ?? undefined, body);
      }
      return response;
    } finally {
      exchange.release();
    }
  }

  /** Builds the exchange, sends it, and lets the wasm read the answer. */
  async #run(prepare) {
    const exchange = prepare();
    try {
      const response = await send(exchange.request, this.#fetch, this.timeoutMs, (text) => exchange.scrub(text));
      try {
        return exchange.finish(response.status, response.wwwAuthenticate, response.body);
      } catch (error) {
        // When to try again, as the answer said (seconds), a day at most (the
        // Worker's backoff honours no more): timing is this layer's.
        if (error instanceof OAuthError && response.retryAfter !== null) error.retryAfter = Math.min(response.retryAfter, RETRY_AFTER_MAX);
        throw error;
      }
    } finally {
      exchange.release();
    }
  }
}
if (Symbol.dispose) OAuthClient.prototype[Symbol.dispose] = OAuthClient.prototype.free;

/**
 * Sends a request `{ method, url, headers, body }` through `fetch` (the
 * caller's, or `globalThis.fetch`) within `timeoutMs`, and reads the whole
 * answer: `{ status, wwwAuthenticate, cacheControl, retryAfter, body }`
 * (`retryAfter`: the Retry-After header in seconds, or null). Never retries.
 * `scrub` removes the request's secrets from an I/O error's text.
 */
export async function send(request, fetch, timeoutMs, scrub = (text) => text) {
  const init = Object.assign(Object.create(null), { method: request.method, headers: request.headers });
  if (request.body != null) init.body = request.body;
  const response = await call(fetch, request.url, init, timeoutMs, scrub);
  return {
    status: response.status,
    wwwAuthenticate: response.headers.get("www-authenticate") ?? undefined,
    cacheControl: response.headers.get("cache-control") ?? undefined,
    retryAfter: parseRetryAfter(response.headers.get("retry-after"), Date.now()),
    body: await readText(response, timeoutMs, request.url, scrub),
  };
}

/** Calls fetch, adding `AbortSignal.timeout` unless the caller gave a
 * signal; the same signal bounds reading the body. Redirects are never
 * followed: a token request's body, or an API call's token, would go on to
 * wherever the redirect points. */
async function call(fetch, url, init, timeoutMs, scrub) {
  const fn = fetch ?? globalThis.fetch;
  if (typeof fn !== "function") throw new OAuthError("invalid_config", "no global fetch here: pass one in the client options");
  init.redirect = "manual";
  let ours;
  if (init.signal === undefined && typeof AbortSignal?.timeout === "function") init.signal = ours = AbortSignal.timeout(timeoutMs);
  let response;
  try {
    response = await fn(url, init);
  } catch (error) {
    // Our signal fired: the timeout, whatever the rejection says.
    throw ours?.aborted ? timeout(timeoutMs) : failure(error, timeoutMs, url, scrub);
  }
  if (response === null || typeof response !== "object" || typeof response.status !== "number" || typeof response.text !== "function") {
    throw new OAuthError("network_error", "fetch did not resolve to a Response");
  }
  return response;
}

/** The largest answer read: past it, reading stops (I/O policy; the wasm
 * refuses bodies over the same size that callers hand it themselves). */
const BODY_LIMIT = 1 << 20;

/** The body as text, streamed, stopping at BODY_LIMIT bytes. */
async function readText(response, timeoutMs, url, scrub) {
  try {
    if (!response.body) return await response.text();
    const tooLarge = () => new OAuthError("input_too_large", "the response body is larger than 1 MiB", { status: response.status });
    return await (await readCapped(response.body, BODY_LIMIT, tooLarge)).text();
  } catch (error) {
    throw error instanceof OAuthError ? error : failure(error, timeoutMs, url, scrub);
  }
}

/** A stream's bytes as a Blob, read no further than `limit`: past it the
 * stream is cancelled and `tooLarge()` thrown. Shared with worker.js. */
export async function readCapped(stream, limit, tooLarge) {
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return new Blob(chunks);
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
}

/** A rejected fetch or body read: a timeout, or a network failure that
 * names the origin (never the path or query: they may carry secrets) and
 * keeps the underlying error as `cause`, scrubbed. */
function failure(error, timeoutMs, url, scrub) {
  const name = error?.name;
  if (name === "TimeoutError" || name === "AbortError") return timeout(timeoutMs);
  let origin = "the endpoint";
  try {
    origin = new URL(url).origin;
  } catch {}
  const message = `fetch to ${origin} failed before a response arrived (network, DNS, TLS, CORS or a runtime permission: see its cause)`;
  return new OAuthError("network_error", message, { url: origin, cause: scrubbed(error, scrub, 3) });
}

/** A copy of an error and its causes whose texts went through `scrub`. */
function scrubbed(error, scrub, depth) {
  const inner = depth > 1 && error?.cause !== undefined ? { cause: scrubbed(error.cause, scrub, depth - 1) } : undefined;
  const copy = new Error(scrub(String(error?.message ?? error)), inner);
  if (typeof error?.name === "string") copy.name = error.name;
  if (typeof error?.code === "string") copy.code = error.code;
  return copy;
}

function timeout(ms) {
  return new OAuthError("timeout", `no response within ${ms} ms`);
}

/** The `fetch` option, an own property only (never an inherited one). */
function fetchOption(options) {
  const fetch = options !== null && typeof options === "object" && Object.hasOwn(options, "fetch") ? options.fetch : undefined;
  // null too: the wasm's reader, which does not read `fetch`, would refuse
  // it as an unknown option.
  if (fetch !== undefined && typeof fetch !== "function") {
    throw new OAuthError("invalid_config", "the fetch option must be a function");
  }
  return fetch ?? undefined;
}

/** JWKS documents by URL: `{ text, expires, fetched }`, or `{ error,
 * fetched }` after a failed fetch. The oldest URL goes first past 8. */
const jwksCache = new Map();
const JWKS_CACHE_SIZE = 8;
/** Without Cache-Control max-age a set is kept 10 minutes; never over 24 h. */
const JWKS_MAX_AGE = 600e3;
const JWKS_MAX_AGE_CAP = 86400e3;
/** A URL is fetched at most once in this long, whatever tokens arrive. */
const JWKS_COOLDOWN = 30e3;
/** The fetch in flight per URL, shared by every verification waiting on it. */
const jwksInFlight = new Map();

/** Verifies a JWT access token (signature through WebCrypto, then its
 * claims) and resolves to its claims, or rejects with the typed error. */
export async function verifyAccessToken(token, options) {
  const check = new JwtCheck(token, options);
  try {
    const url = check.jwksUrl;
    let keys;
    if (url === undefined) {
      keys = check.candidates();
    } else {
      const cached = jwksCache.get(url);
      const mayFetch = !cached || Date.now() - cached.fetched >= JWKS_COOLDOWN;
      if (cached && (Date.now() < cached.expires || !mayFetch)) {
        if (cached.error) throw cached.error;
        keys = check.candidates(cached.text);
      }
      // Not cached, stale, or no key with this kid (the issuer may have
      // rotated): fetch, unless this URL was fetched moments ago.
      if (mayFetch && (keys === undefined || keys.length === 0)) {
        keys = check.candidates(await fetchJwks(check, url, fetchOption(options)));
      }
    }
    const outcomes = keys.length === 0 ? [] : await verifyEach(check, keys);
    return check.finish(Uint8Array.from(outcomes));
  } finally {
    check.release();
  }
}

/** The set's text, fetched once however many verifications wait for it. */
function fetchJwks(check, url, fetch) {
  return singleFlight(jwksInFlight, url, async () => {
    const fetched = Date.now();
    try {
      const response = await send({ method: "GET", url, headers: { Accept: "application/json" } }, fetch, check.timeoutMs);
      check.readJwks(response.status, response.body);
      remember(url, { text: response.body, expires: fetched + maxAge(response.cacheControl), fetched });
      return response.body;
    } catch (error) {
      remember(url, { error, expires: 0, fetched });
      throw error;
    }
  });
}

function remember(url, entry) {
  jwksCache.delete(url);
  jwksCache.set(url, entry);
  if (jwksCache.size > JWKS_CACHE_SIZE) jwksCache.delete(jwksCache.keys().next().value);
}

/** Milliseconds from Cache-Control's max-age, within [0, 24 h]. */
function maxAge(cacheControl) {
  const seconds = /(?:^|,)\s*max-age\s*=\s*"?(\d+)/i.exec(cacheControl ?? "")?.[1];
  return seconds === undefined ? JWKS_MAX_AGE : Math.min(Number(seconds) * 1000, JWKS_MAX_AGE_CAP);
}

/** Each candidate key through `crypto.subtle`: 0 not imported, 1 imported
 * but not verified, 2 verified (JwtCheck.finish reads these). */
async function verifyEach(check, keys) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new OAuthError("invalid_config", "crypto.subtle is missing");
  const [format, importParams, verifyParams, signature, input] = check.webcrypto;
  return Promise.all(keys.map(async (key) => {
    let imported;
    try {
      imported = await subtle.importKey(format, key, importParams, false, ["verify"]);
    } catch {
      return 0;
    }
    try {
      return (await subtle.verify(verifyParams, imported, signature, input)) ? 2 : 1;
    } catch {
      return 1;
    }
  }));
}
