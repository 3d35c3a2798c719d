// Differential fuzzing of the options reader (src/wasm/options.js) against
// an oracle: a build of the package from before issue 26, whose wasm read
// options as JSON (core::options::Fields). Random client and start options,
// valid and not; each must give the same code and message, or, when both
// accept, the same authorize URL (state and challenge masked).
//   node scripts/fuzz-options.mjs ORACLE_PKG_DIR [runs] [seed]
// e.g. git archive 51a8b26 | tar -x -C /tmp/old && (cd /tmp/old && bash scripts/build-pkg.sh)
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const [oracleDir, runs = "100000", seedArg = String(Date.now())] = process.argv.slice(2);
if (!oracleDir) throw new Error("usage: node scripts/fuzz-options.mjs ORACLE_PKG_DIR [runs] [seed]");
const load = async (dir) => {
  const m = await import(resolve(dir, "page/partner_oauth.js"));
  m.initSync({ module: readFileSync(resolve(dir, "page/partner_oauth_bg.wasm")) });
  return m.OAuthClient;
};
const [Oracle, Ours] = [await load(oracleDir), await load(new URL("../pkg", import.meta.url).pathname)];

let seed = Number(seedArg) >>> 0;
const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const int = (n) => Math.floor(rand() * n);
const pick = (list) => list[int(list.length)];

const NAMES = ["provider", "environment", "clientId", "clientSecret", "redirectUri", "stateKey", "endpoints", "preset",
  "stateMaxAge", "timeoutMs", "dangerouslyAllowSecretInBrowser", "fetch", "authorize", "token", "introspect", "revoke", "api",
  "responseType", "pkce", "clientAuth", "tokenBody", "redirectUriQueryAllowed", "neverExpires", "defaultLifetime",
  "refreshTokenLifetime", "introspection", "grants", "scopeSeparator", "authorizeParams", "codeParams", "issuer",
  "scopes", "payload", "tokenKind", "params", "redirectURI", "x", "", "__proto__", "toJSON", "0", "7", "a b", "k".repeat(41)];
const STRINGS = ["billit", "payfit", "payout", "factorial", "tropipay", "custom", "production", "sandbox", "demo", "c", "",
  "https://app.example/cb", "http://127.0.0.1:8080/cb", "http://app.example/cb", "https://as.example/authorize", "https://as.example/t?x=1",
  "k".repeat(32), "short", "hunter2hunter2", "required", "supported", "unsupported", "body", "basic", "form", "json", "query",
  "rfc7662", "bearer_json", "authorization_code", "refresh_token", "client_credentials", "revocation", "implicit", ",", " ",
  "employees:read", "a b", "prompt", "login", "state", "STATE", "company", "user", "\uD800", "\uDC00x", "\uD83D\uDE00", "é", "\\ud800", "x\u0000y"];
const NUMBERS = [0, -0, 1, 60, 600, 86400, 86401, 1.5, -1, 1e21, 2 ** 53, 2 ** 64, 1e-7, NaN, Infinity, -Infinity, 10000, 300000];

function value(depth) {
  const r = int(depth > 3 ? 6 : 12);
  switch (r) {
    case 0: case 1: case 2: return pick(STRINGS);
    case 3: return pick(NUMBERS);
    case 4: return rand() < 0.5;
    case 5: return pick([null, undefined]);
    case 6: case 7: return Array.from({ length: int(4) }, () => (rand() < 0.1 ? undefined : value(depth + 1)));
    case 8: case 9: return object(depth + 1);
    case 10: return pick([() => 1, new Date(0), Symbol("s"), new Map([["a", "b"]]), new String("billit"), Object.create(null)]);
    default: return rand() < 0.05 ? 1n : pick(STRINGS);
  }
}
function object(depth) {
  const o = rand() < 0.1 ? Object.create(null) : {};
  for (let i = int(6); i > 0; i--) Object.defineProperty(o, pick(NAMES), { value: value(depth), enumerable: true, configurable: true, writable: true });
  return o;
}
/** Mostly valid options with one to three mutations. */
function clientOptions() {
  const o = { provider: pick(["billit", "payfit", "custom", "factorial", "payout"]), clientId: "c", redirectUri: "https://app.example/cb" };
  if (o.provider === "custom") o.endpoints = { authorize: "https://as.example/authorize", token: "https://as.example/token" };
  if (rand() < 0.3) o.preset = object(1);
  for (let i = int(3); i > 0; i--) {
    // Only plain objects: a boxed string's indices cannot be redefined.
    const nested = (v) => v !== null && typeof v === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(v));
    const target = nested(o.preset) && rand() < 0.3 ? o.preset : nested(o.endpoints) && rand() < 0.2 ? o.endpoints : o;
    Object.defineProperty(target, pick(NAMES), { value: value(1), enumerable: true, configurable: true, writable: true });
  }
  return rand() < 0.02 ? value(0) : o;
}
const startOptions = () => (rand() < 0.2 ? value(0) : rand() < 0.5 ? { scopes: [pick(STRINGS)], payload: pick(STRINGS) } : object(0));

const mask = (url) => url.replace(/(state|code_challenge)=[^&]+/g, "$1=…");
function outcome(Client, options, start) {
  let step = "constructor";
  try {
    const client = new Client(options);
    step = "start";
    const started = client.startAuthorization(start);
    return JSON.stringify({ provider: client.provider, environment: client.environment, url: mask(started.url) });
  } catch (e) {
    return JSON.stringify({ step, code: e.code, message: e.message });
  }
}

const n = Number(runs);
let accepted = 0;
for (let i = 0; i < n; i++) {
  const options = clientOptions();
  const start = startOptions();
  const [a, b] = [outcome(Oracle, options, start), outcome(Ours, options, start)];
  if (a !== b) {
    console.error(`disagreement at run ${i} (seed ${seedArg}):\n oracle: ${a}\n ours:   ${b}`);
    process.exit(1);
  }
  if (a.includes('"url"')) accepted++;
}
console.log(`${n} runs, seed ${seedArg}: no disagreement (${accepted} accepted by both, ${n - accepted} refused alike)`);
