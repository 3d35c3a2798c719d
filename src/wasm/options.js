// The strict reader of client and startAuthorization options, for both
// builds: the wasm gets them checked and flat (a record, below) instead of
// JSON to parse and read itself (~7 KB of wasm gzip in the page build). It
// reads as core::options::Fields, the Rust callers' reader, does: one type
// per field, null is absent, the first wrong field is the error, a name
// nobody reads is refused. Messages and their order are frozen
// (tests/pkg/frozen/options-errors.json).
import { OAuthError, finite } from "./oauth_error.js";

const fail = (message) => {
  throw new OAuthError("invalid_config", message);
};

// Well-formed UTF-16 (no lone surrogate). With the u flag a pair is one
// code point past U+FFFF, so only an unpaired unit matches. A regex, not
// String's isWellFormed: 43 B less on the page, ~5 % slower starts; and no
// builtin that a platform may lack or a page may plant (review 60, C2).
const wellFormed = (text) => !/[\uD800-\uDFFF]/u.test(text);

const PAIRS = Symbol();

/** A copy of `value` when JSON.stringify then JSON.parse would give back
 * the same: plain objects and arrays of finite numbers, booleans, null and
 * well-formed strings, no toJSON, not too deep; else undefined (no JSON
 * value). Each property is read once, so what is checked is what is
 * written (a getter or Proxy answering differently on a second read gets
 * nothing past the checks). The usual options are, and skip the JSON round
 * trip (a start's options in a third of the time). */
function copy(value, depth = 0) {
  if (depth > 64) return;
  // A lone surrogate's string goes on to the refusal of what is no object.
  if (typeof value === "string" ? wellFormed(value) : value === null || typeof value === "boolean" || Number.isFinite(value)) return value;
  // Left: a number JSON cannot hold, undefined, a function, a symbol (JSON
  // drops them), a BigInt (it throws), an object with toJSON (only a
  // function is called: a parsed "toJSON" key is a value).
  if (typeof value !== "object" || typeof value.toJSON === "function") return;
  const array = Array.isArray(value);
  if (Object.getPrototypeOf(value) !== (array ? Array.prototype : Object.prototype)) return;
  // An object as its [name, value] pairs under a key of this module's: an
  // own "__proto__" stays a name, no accessor on Object.prototype can stand
  // in for a field (review 60, C1), and V8 keeps no prototype-less object
  // in slow dictionary mode.
  const out = [];
  // Every index of an array (up to a new array's length, `value.length`
  // read once, as before): a hole or undefined becomes null in JSON, not
  // the same value. An index is digits, well-formed. An index loop: the
  // `keys()` iterator and the index's string for the check were a sixth of
  // a start's reading.
  const keys = array ? Array(value.length) : Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = array ? i : keys[i];
    // A name with a lone surrogate: its value unread, copied as undefined.
    const item = copy(array || wellFormed(key) ? value[key] : undefined, depth + 1);
    if (item === undefined) return;
    out.push(array ? item : [key, item]);
  }
  return array ? out : { [PAIRS]: out };
}

/** The record of the options as the JSON text the wasm used to read: the
 * same values dropped, and the same refusals (a lone surrogate, too deep).
 * Read by `schema`; `replacer`: JSON.stringify's (configJson's for client
 * options). */
function tree(value, what, schema, replacer) {
  let copied = copy(value);
  if (copied === undefined) {
    let text;
    try {
      text = JSON.stringify(value, replacer);
    } catch {
      // BigInt, a cycle: JSON.stringify throws.
    }
    if (typeof text !== "string") fail(`${what} must be a plain object of JSON values`);
    // What JSON.parse gives is plain but for a lone surrogate (JSON.stringify
    // writes one as an escape) or nesting deeper than 64
    // (core::json::DEPTH_MAX), which the wasm's JSON reader refused.
    if ((copied = copy(JSON.parse(text))) === undefined) fail(`${what} must be a JSON object`);
  }
  return read(copied, what, schema, []);
}

// Each option as [name, type, names or nested schema], in the order
// core::options' readers read them (the first wrong one is the error). A
// choice's names are Rust's NAMES table's, in its order (tests/contracts.rs
// compares them). Nested schemas and names written in place, not as
// constants (page −31 B gzip).
// Types: none for a string, r required string, x secret string, c one of
// `names`, b true or false, n whole number, m object of strings, o object;
// the lists upper case: L list of strings, K string or list of strings
// (secret), C list of `names`.
const CLIENT = [
  ["provider", "r"], ["environment"], ["clientId", "r"], ["clientSecret", "x"], ["redirectUri"], ["stateKey", "K"],
  ["endpoints", "o", [["authorize"], ["token"], ["introspect"], ["revoke"], ["api"]]],
  ["preset", "o", [
    ["responseType", "b"],
    ["pkce", "c", ["required","supported","unsupported"]],
    ["clientAuth", "c", ["body","basic"]],
    ["tokenBody", "c", ["form","json","query"]],
    ["redirectUriQueryAllowed", "b"], ["neverExpires", "b"], ["defaultLifetime", "n"], ["refreshTokenLifetime", "n"],
    ["introspection", "c", ["rfc7662","bearer_json"]],
    ["grants", "C", ["authorization_code","refresh_token","client_credentials","introspection","revocation"]],
    ["scopeSeparator"], ["authorizeParams", "m"], ["codeParams", "L"], ["issuer"],
  ]],
  ["stateMaxAge", "n"], ["timeoutMs", "n"], ["dangerouslyAllowSecretInBrowser", "b"],
];
const START = [["scopes", "L"], ["payload"], ["tokenKind"], ["params", "m"]];

// The record the wasm reads (src/wasm/record.rs): each value is `~`
// (absent) or `<UTF-8 length>:<text>`; a list is its count, then its items;
// an object is a mark, then its fields; true and false are "t" and "f"
// (their first letters); numbers are their digits; a choice is its index
// in its names.
// The length is the bytes TextEncoder writes for the text. A lone
// surrogate, which the checks refuse, would still count as the 3 of its
// U+FFFD, so no text can shift the record's later fields (review 60, C3).
// ASCII (the usual names and scopes) is its length (a loop: a regex test
// made a start's options ~15 % slower); any other text is encoded (a
// smaller reader than counting by hand, the same count).
export const encoder = new TextEncoder();
const put = (text) => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return encoder.encode(text).length + ":" + text;
  return text.length + ":" + text;
};
const list = (items, count = items.length) => {
  let out = put(`${count}`);
  for (const item of items) out += put(item);
  return out;
};
const strings = (value) => Array.isArray(value) && value.every((item) => typeof item === "string");

/** Reads `value` by `schema` into a record; throws the first wrong field's
 * invalid_config. `secrets`: values never to be echoed in a message. */
function read(value, what, schema, secrets) {
  const entries = value?.[PAIRS];
  if (!entries) fail(`${what} must be an object`);
  let out = "";
  for (const [key, type, names] of schema) {
    // Names are unique: the last match is the only one (a loop, not a
    // callback per entry).
    let field = null;
    for (let at = entries.length; at--; )
      if (entries[at][0] === key) {
        field = entries[at][1];
        // Swap-remove, as Fields does: it decides which unknown name is reported.
        entries[at] = entries[entries.length - 1];
        entries.pop();
        break;
      }
    if (field === null) {
      if (type === "r") fail(`${what}.${key} is required`);
      out += "~";
      continue;
    }
    if (type === "b") {
      if (typeof field !== "boolean") fail(`${what}.${key} must be true or false`);
      out += put(`${field}`[0]);
    } else if (type === "n") {
      // A number's digits as String() prints them (test's ToString).
      if (typeof field !== "number" || !/^\d+$/.test(field)) fail(`${what}.${key} must be a whole, non-negative number`);
      // Above u64::MAX: the doubles from 2^64 up (2^64 prints as
      // 18446744073709552000, every double below as at most
      // 18446744073709550000).
      if (field >= 2 ** 64) fail(`${what}.${key} must be a whole number in range`);
      out += put(String(field));
    } else if (type === "o") out += put("o") + read(field, `${what}.${key}`, names, [...secrets]);
    else if (type === "m") {
      // Names and values one after another (names are strings; a loop:
      // V8's `flat` took a third of a start's options). Not an object: one
      // pair that is no string, for the check below to refuse.
      const flat = [];
      for (const [name, item] of field?.[PAIRS] ?? [[0]]) flat.push(name, item);
      if (!strings(flat)) fail(`${what}.${key} must be an object of strings`);
      out += list(flat, flat.length / 2);
    } else if (type < "a") {
      if (type === "K" && typeof field === "string") field = [field];
      if (!strings(field)) fail(`${what}.${key} must be a list of strings`);
      if (type === "K") secrets.push(...field);
      if (type === "C") {
        // A choice goes as its index in `names` (the order of Rust's NAMES tables).
        field = field.map((name) => String(names.indexOf(name)));
        if (field.includes("-1")) fail(`${what}.${key} must be a list of: ${names.join(", ")}`);
      }
      out += list(field);
    } else {
      if (typeof field !== "string") fail(`${what}.${key} must be a string`);
      if (type === "x") secrets.push(field);
      if (type === "c" && (field = String(names.indexOf(field))) === "-1") fail(`${what}.${key} must be one of: ${names.join(", ")}`);
      out += put(field);
    }
  }
  // A name nobody read: shown only when it looks like an option name and
  // holds no secret value read from the same options.
  if (entries.length) {
    const [key] = entries[0];
    const named = /^\w{0,40}$/.test(key) && !secrets.some((secret) => secret.length >= 4 && key.includes(secret));
    fail(`${what}: ${named ? `unknown option "${key}"` : "an unknown option (its name is not shown)"}`);
  }
  return out;
}

/** Client options → the record `record::client_options` reads. */
export function clientOptions(value) {
  if (value === undefined || value === null) fail("client options are required");
  return tree(value, "client options", CLIENT, finite);
}

/** startAuthorization options → the record `record::start_options` reads. */
export function startOptions(value) {
  if (value === undefined || value === null) return "~~~~";
  return tree(value, "startAuthorization options", START);
}

