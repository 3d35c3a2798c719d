// The strict reader of client and startAuthorization options, for both
// builds: the wasm gets them checked and flat (a record, below) instead of
// JSON to parse and read itself (~7 KB of wasm gzip in the page build). It
// reads as core::options::Fields, the Rust callers' reader, does: one type
// per field, null is absent, the first wrong field is the error, a name
// nobody reads is refused. Messages and their order are frozen
// (tests/pkg/frozen/options-errors.json).
import { OAuthError, configJson } from "./oauth_error.js";

// The names Rust's NAMES tables spell (tests/contracts.rs compares them).
const PKCE = ["required","supported","unsupported"];
const CLIENT_AUTH = ["body","basic"];
const TOKEN_BODY = ["form","json","query"];
const INTROSPECTION = ["rfc7662","bearer_json"];
const GRANTS = ["authorization_code","refresh_token","client_credentials","introspection","revocation"];
const U64_MAX = "18446744073709551615";
// JSON.stringify writes a lone surrogate as an escape (`\udXXX`) after an
// even run of backslashes; a pair stays raw.
const LONE_SURROGATE = /(?:^|[^\\])(?:\\\\)*\\ud[89a-f]/;

const fail = (message) => {
  throw new OAuthError("invalid_config", message);
};

// Nesting deeper than 64 (core::json::DEPTH_MAX), which the wasm's JSON
// reader refused. Each level takes two characters of the text: only a text
// longer than 128 can hold it.
function tooDeep(value, depth) {
  if (depth > 64) return true;
  return value !== null && typeof value === "object" && Object.values(value).some((item) => tooDeep(item, depth + 1));
}

const RAW_LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether JSON.stringify then JSON.parse would give back `value` itself:
 * plain objects and arrays of finite numbers, booleans, null and
 * well-formed strings, no toJSON, not too deep. The usual options are, and
 * skip the round trip (a start's options in a third of the time). */
function plain(value, depth) {
  if (depth > 64) return false;
  switch (typeof value) {
    case "string":
      return !RAW_LONE_SURROGATE.test(value);
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (value === null) return true;
      if (value.toJSON !== undefined) return false;
      const array = Array.isArray(value);
      if (Object.getPrototypeOf(value) !== (array ? Array.prototype : Object.prototype)) return false;
      if (array) {
        // A hole or undefined becomes null: not the same value.
        for (let i = 0; i < value.length; i++) if (!plain(value[i], depth + 1)) return false;
        return true;
      }
      return Object.keys(value).every((key) => !RAW_LONE_SURROGATE.test(key) && plain(value[key], depth + 1));
    }
    default:
      return false; // undefined, a function, a symbol: JSON drops them; a BigInt throws
  }
}

/** The options as the JSON text the wasm used to read: the same values
 * dropped, and the same refusals (a lone surrogate, too deep). */
function fields(value, what, config) {
  if (plain(value, 0)) return new Fields(value, what, []);
  let text;
  try {
    text = config ? configJson(value) : JSON.stringify(value);
  } catch {
    // BigInt, a cycle: JSON.stringify throws.
  }
  if (typeof text !== "string") fail(`${what} must be a plain object of JSON values`);
  const tree = JSON.parse(text);
  if (LONE_SURROGATE.test(text) || (text.length > 128 && tooDeep(tree, 0))) fail(`${what} must be a JSON object`);
  return new Fields(tree, what, []);
}

class Fields {
  constructor(value, what, secrets) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) fail(`${what} must be an object`);
    this.what = what;
    this.entries = Object.entries(value);
    this.secrets = secrets;
  }

  take(key) {
    const entries = this.entries;
    const at = entries.findIndex(([name]) => name === key);
    if (at < 0) return undefined;
    const value = entries[at][1];
    // Swap-remove, as Fields does: it decides which unknown name is reported.
    entries[at] = entries[entries.length - 1];
    entries.pop();
    return value === null ? undefined : value;
  }

  wrong(key, expected) {
    fail(`${this.what}.${key} must be ${expected}`);
  }

  string(key) {
    const value = this.take(key);
    if (value !== undefined && typeof value !== "string") this.wrong(key, "a string");
    return value;
  }

  required(key) {
    const value = this.string(key);
    if (value === undefined) fail(`${this.what}.${key} is required`);
    return value;
  }

  bool(key) {
    const value = this.take(key);
    if (value !== undefined && typeof value !== "boolean") this.wrong(key, "true or false");
    return value;
  }

  /** A whole, non-negative number, as its digits (u64 in the wasm). */
  u64(key) {
    const value = this.take(key);
    if (value === undefined) return undefined;
    const digits = typeof value === "number" ? String(value) : "";
    if (!/^\d+$/.test(digits)) this.wrong(key, "a whole, non-negative number");
    if (digits.length > 20 || (digits.length === 20 && digits > U64_MAX)) this.wrong(key, "a whole number in range");
    return digits;
  }

  strings(key) {
    const value = this.take(key);
    if (value !== undefined && !(Array.isArray(value) && value.every((item) => typeof item === "string"))) this.wrong(key, "a list of strings");
    return value;
  }

  /** A string or a list of strings, kept out of later messages (`stateKey`). */
  secretList(key) {
    const value = this.take(key);
    if (value === undefined) return undefined;
    const list = typeof value === "string" ? [value] : value;
    if (!(Array.isArray(list) && list.every((item) => typeof item === "string"))) this.wrong(key, "a list of strings");
    this.secrets.push(...list);
    return list;
  }

  stringMap(key) {
    const value = this.take(key);
    if (value === undefined) return undefined;
    const ok = typeof value === "object" && !Array.isArray(value) && Object.values(value).every((item) => typeof item === "string");
    if (!ok) this.wrong(key, "an object of strings");
    return Object.entries(value);
  }

  /** A nested object read by `read`; it sees the secrets read so far. */
  nested(key, read) {
    const value = this.take(key);
    return value === undefined ? undefined : read(new Fields(value, `${this.what}.${key}`, [...this.secrets]));
  }

  choice(key, names) {
    const name = this.string(key);
    if (name !== undefined && !names.includes(name)) this.wrong(key, `one of: ${names.join(", ")}`);
    return name;
  }

  choices(key, names) {
    const list = this.strings(key);
    if (list !== undefined && !list.every((name) => names.includes(name))) this.wrong(key, `a list of: ${names.join(", ")}`);
    return list;
  }

  /** Refuses a name nobody read; shows it only when it looks like an option
   * name and holds no secret value read from the same options. */
  finish() {
    const [first] = this.entries;
    if (!first) return;
    const key = first[0];
    const named = key.length <= 40 && /^[A-Za-z0-9_]*$/.test(key) && !this.secrets.some((secret) => secret.length >= 4 && key.includes(secret));
    fail(named ? `${this.what}: unknown option "${key}"` : `${this.what}: an unknown option (its name is not shown)`);
  }
}

/** UTF-8 length of a well-formed string: the record counts bytes. */
function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes += unit < 0x80 ? 1 : unit < 0x800 || (unit >= 0xd800 && unit < 0xe000) ? 2 : 3;
  }
  return bytes;
}

// The record the wasm reads (src/wasm/record.rs), in a fixed order: each
// value is `~` (absent) or `<UTF-8 length>:<text>`; a list is its count,
// then its items; true and false are "t" and "f"; numbers are their digits.
class Record {
  text = "";

  put(value) {
    this.text += value === undefined ? "~" : typeof value === "boolean" ? (value ? "1:t" : "1:f") : `${utf8Length(value)}:${value}`;
  }

  list(items) {
    if (items === undefined) return this.put(undefined);
    this.put(String(items.length));
    for (const item of items) this.put(item);
  }

  pairs(entries) {
    if (entries === undefined) return this.put(undefined);
    this.put(String(entries.length));
    for (const [name, value] of entries) {
      this.put(name);
      this.put(value);
    }
  }
}

/** Client options → the record `record::client_options` reads. */
export function clientOptions(value) {
  if (value === undefined || value === null) fail("client options are required");
  const f = fields(value, "client options", true);
  const out = new Record();
  out.put(f.required("provider"));
  out.put(f.string("environment"));
  out.put(f.required("clientId"));
  const secret = f.string("clientSecret");
  if (secret !== undefined) f.secrets.push(secret);
  out.put(secret);
  out.put(f.string("redirectUri"));
  out.list(f.secretList("stateKey"));
  const endpoints = f.nested("endpoints", (e) => {
    const urls = ["authorize", "token", "introspect", "revoke", "api"].map((name) => e.string(name));
    e.finish();
    return urls;
  });
  for (const url of endpoints ?? [undefined, undefined, undefined, undefined, undefined]) out.put(url);
  const preset = f.nested("preset", (p) => {
    const patch = new Record();
    patch.put(p.bool("responseType"));
    patch.put(p.choice("pkce", PKCE));
    patch.put(p.choice("clientAuth", CLIENT_AUTH));
    patch.put(p.choice("tokenBody", TOKEN_BODY));
    patch.put(p.bool("redirectUriQueryAllowed"));
    patch.put(p.bool("neverExpires"));
    patch.put(p.u64("defaultLifetime"));
    patch.put(p.u64("refreshTokenLifetime"));
    patch.put(p.choice("introspection", INTROSPECTION));
    patch.list(p.choices("grants", GRANTS));
    patch.put(p.string("scopeSeparator"));
    patch.pairs(p.stringMap("authorizeParams"));
    patch.list(p.strings("codeParams"));
    patch.put(p.string("issuer"));
    p.finish();
    return patch.text;
  });
  out.put(preset === undefined ? undefined : "p");
  if (preset !== undefined) out.text += preset;
  out.put(f.u64("stateMaxAge"));
  out.put(f.u64("timeoutMs"));
  out.put(f.bool("dangerouslyAllowSecretInBrowser"));
  f.finish();
  return out.text;
}

/** startAuthorization options → the record `record::start_options` reads. */
export function startOptions(value) {
  const out = new Record();
  if (value === undefined || value === null) return "~~~~";
  const f = fields(value, "startAuthorization options", false);
  out.list(f.strings("scopes"));
  out.put(f.string("payload"));
  out.put(f.string("tokenKind"));
  out.pairs(f.stringMap("params"));
  f.finish();
  return out.text;
}
