// Bad (and a few good) verifyAccessToken options, for the frozen table
// (jwt-options-errors.json: each case's outcome as the build before the
// JWT options moved to options.js read them, where the wasm parsed their
// JSON itself). The token is an HS256 one signed at test time with `JWK`.
const b64u = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const part = (value) => b64u(new TextEncoder().encode(JSON.stringify(value)));
const SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA";
export const JWK = { kty: "oct", k: SECRET, kid: "k1" };
const PEM = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEcenFT3OhibdKDHLs+DZLsH21M9Ra
DsgR5NeULNzJgQVKw5h9DTdH9O3rLBDAdJkmIEJsFjYQJ4mY7bSGuRLfxw==
-----END PUBLIC KEY-----
`;
const URL_ = "https://issuer.example/jwks";
const jwksFetch = async () => new Response(JSON.stringify({ keys: [JWK] }), { status: 200 });

/** An HS256 token signed with `JWK`, `header` and `claims` over the usual. */
export async function makeToken(header = {}, claims = {}) {
  const now = Math.floor(Date.now() / 1000);
  const input = `${part({ alg: "HS256", kid: "k1", typ: "at+jwt", ...header })}.${part({ iss: "https://issuer.example", exp: now + 3600, scope: "read write", sub: "s1", ...claims })}`;
  const raw = Uint8Array.from(atob(SECRET.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input));
  return `${input}.${b64u(new Uint8Array(signature))}`;
}

const k = { key: JWK };
const deep = (n) => { let v = 1; for (let i = 0; i < n; i++) v = [v]; return v; };
const big = (() => { const o = {}; for (let i = 0; i < 30; i++) o[`k${i}`] = i; return o; })();
/** [name, options, token (absent: the signed one)] */
export const cases = [
  // Not options at all.
  ["no options", undefined],
  ["null options", null],
  ["a string", "key"],
  ["a number", 5],
  ["a boolean", true],
  ["an array", [JWK]],
  ["a function", () => 1],
  ["a symbol", Symbol("x")],
  ["a bigint field", { ...k, clockSkew: 10n }],
  ["a cycle", (() => { const o = { ...k }; o.self = o; return o; })()],
  ["toJSON null", { toJSON: () => null }],
  ["toJSON options", { toJSON: () => ({ key: JWK }) }],
  ["toJSON string", { toJSON: () => "x" }],
  ["a Date", new Date(0)],
  ["a Map", new Map([["key", JWK]])],
  ["a boxed string", new String("x")],
  ["null prototype", Object.assign(Object.create(null), { key: JWK })],
  ["a class instance", new (class { constructor() { this.key = JWK; } })()],
  ["a getter", { get key() { return JWK; } }],
  ["a throwing getter", { get key() { throw new Error("boom"); } }],
  ["a throwing getter, token number", { get key() { throw new Error("boom"); } }, 5],
  ["a throwing toJSON", { ...k, toJSON() { throw new Error("boom"); } }],
  ["a Proxy", new Proxy({ key: JWK }, {})],
  ["a Proxy with throwing keys", new Proxy({ key: JWK }, { ownKeys() { throw new Error("boom"); } })],
  ["a getter on issuer", { ...k, get issuer() { return 5; } }],
  ["an own __proto__", JSON.parse(`{"__proto__": 1, "key": ${JSON.stringify(JWK)}}`)],
  ["an own __proto__ object", JSON.parse(`{"__proto__": {"key": 1}, "key": ${JSON.stringify(JWK)}}`)],
  ["lone surrogate value", { ...k, issuer: "\uD800" }],
  ["lone surrogate key", { ...k, "\uDC00": 1 }],
  ["lone surrogate in key", { key: { ...JWK, kid: "\uD800" } }],
  ["deep", { ...k, x: deep(64) }],
  ["unknown depth 63", { ...k, x: deep(63) }],
  ["deep key", { key: { ...JWK, x: deep(63) } }],
  ["deep key 62", { key: { ...JWK, x: deep(62) } }],
  ["undefined field", { ...k, issuer: undefined }],
  ["a function field", { ...k, issuer: () => 1 }],
  ["a symbol field", { ...k, issuer: Symbol("x") }],
  ["NaN clockSkew", { ...k, clockSkew: NaN }],
  ["Infinity timeoutMs", { ...k, timeoutMs: Infinity }],
  ["-Infinity timeoutMs", { ...k, timeoutMs: -Infinity }],
  ["NaN in key", { key: { ...JWK, x: NaN } }],
  ["hole in list", { ...k, requiredScopes: [, "a"] }], // eslint-disable-line no-sparse-arrays

  // The token, checked before the options.
  ["token number, options null", null, 5],
  ["token undefined, options bad", { issuer: 5 }, undefined],
  ["token object, good options", k, { token: "x" }],
  ["token number, good options", k, 5],
  ["token garbage, options bad", { issuer: 5 }, "garbage"],
  ["token garbage, good options", k, "garbage"],
  ["token a.b.c, good options", k, "a.b.c"],
  ["token empty, no keys", {}, ""],

  // The keys, decided before the other fields are checked.
  ["empty", {}],
  ["key null", { key: null }],
  ["key and jwks null", { key: null, jwks: null }],
  ["key number", { key: 5 }],
  ["key true", { key: true }],
  ["key array", { key: [JWK] }],
  ["key empty object", { key: {} }],
  ["key and jwks", { key: JWK, jwks: { keys: [JWK] } }],
  ["key, jwks null", { key: JWK, jwks: null }],
  ["key null and jwks", { key: null, jwks: { keys: [JWK] } }],
  ["key number, issuer number", { key: 5, issuer: 5 }],
  ["key missing, unknown option", { Key: JWK }],
  ["key string not PEM", { key: "abc" }],
  ["key PEM garbage", { key: "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n" }],
  ["key PEM short", { key: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" }],
  ["key PEM private", { key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" }],
  ["key PEM garbage, issuer number", { key: "abc", issuer: 5 }],
  ["key PEM, default algorithms", { key: PEM }],
  ["key PEM, HS256 allowed", { key: PEM, algorithms: ["HS256"] }],
  ["key PEM, ES256 allowed", { key: PEM, algorithms: ["ES256"] }],
  ["key PEM, unknown option", { key: PEM, x: 1 }],
  ["jwks number", { jwks: 5 }],
  ["jwks array", { jwks: [JWK] }],
  ["jwks empty object", { jwks: {} }],
  ["jwks keys not list", { jwks: { keys: "x" } }],
  ["jwks keys empty", { jwks: { keys: [] } }],
  ["jwks string not URL", { jwks: "not a url" }],
  ["jwks http URL", { jwks: "http://issuer.example/jwks" }],
  ["jwks URL with user", { jwks: "https://u:p@issuer.example/jwks" }],
  ["jwks URL with fragment", { jwks: "https://issuer.example/jwks#x" }],
  ["jwks bad URL, issuer number", { jwks: "nope", issuer: 5 }],
  ["jwks bad URL, unknown option", { jwks: "nope", x: 1 }],
  ["jwks URL, fetch", { jwks: URL_, fetch: jwksFetch }],
  ["jwks URL, fetch, issuer number", { jwks: URL_, fetch: jwksFetch, issuer: 5 }],
  ["jwks URL, fetch not a function", { jwks: URL_ + "2", fetch: 5 }],
  ["jwks URL, fetch null", { jwks: URL_ + "3", fetch: null }],
  ["key, fetch", { ...k, fetch: jwksFetch }],
  ["key, fetch number", { ...k, fetch: 5 }],
  ["key, fetch null", { ...k, fetch: null }],

  // Field types.
  ["issuer number", { ...k, issuer: 5 }],
  ["issuer object", { ...k, issuer: {} }],
  ["issuer null", { ...k, issuer: null }],
  ["audience list", { ...k, audience: ["api"] }],
  ["typ number", { ...k, typ: 1 }],
  ["requiredScopes string", { ...k, requiredScopes: "read" }],
  ["requiredScopes numbers", { ...k, requiredScopes: [1] }],
  ["requiredScopes nested", { ...k, requiredScopes: [["read"]] }],
  ["requiredScopes object", { ...k, requiredScopes: { a: "read" } }],
  ["requiredScopes null", { ...k, requiredScopes: null }],
  ["requiredScopes empty", { ...k, requiredScopes: [] }],
  ["clockSkew negative", { ...k, clockSkew: -1 }],
  ["clockSkew fraction", { ...k, clockSkew: 1.5 }],
  ["clockSkew string", { ...k, clockSkew: "60" }],
  ["clockSkew 1e21", { ...k, clockSkew: 1e21 }],
  ["clockSkew 2^64", { ...k, clockSkew: 2 ** 64 }],
  ["clockSkew below 2^64", { ...k, clockSkew: 2 ** 64 - 2048 }],
  ["clockSkew -0", { ...k, clockSkew: -0 }],
  ["clockSkew 0", { ...k, clockSkew: 0 }],
  ["clockSkew object", { ...k, clockSkew: { n: 1 } }],
  ["allowMissingExp string", { ...k, allowMissingExp: "yes" }],
  ["allowMissingExp 1", { ...k, allowMissingExp: 1 }],
  ["allowMissingExp true", { ...k, allowMissingExp: true }],

  // algorithms.
  ["algorithms empty", { ...k, algorithms: [] }],
  ["algorithms none", { ...k, algorithms: ["none"] }],
  ["algorithms one bad", { ...k, algorithms: ["HS256", "none"] }],
  ["algorithms lower case", { ...k, algorithms: ["hs256"] }],
  ["algorithms string", { ...k, algorithms: "HS256" }],
  ["algorithms numbers", { ...k, algorithms: [256] }],
  ["algorithms null", { ...k, algorithms: null }],
  ["algorithms nested", { ...k, algorithms: [["HS256"]] }],
  ["algorithms HS256", { ...k, algorithms: ["HS256"] }],
  ["algorithms twice", { ...k, algorithms: ["HS256", "HS256"] }],
  ["algorithms RS256 only", { ...k, algorithms: ["RS256"] }],
  ["algorithms all", { ...k, algorithms: ["RS256", "PS256", "ES256", "HS256"] }],
  ["algorithms bad, issuer number", { ...k, issuer: 5, algorithms: ["x"] }],
  ["algorithms bad, issuer number after", { ...k, algorithms: ["x"], issuer: 5 }],
  ["algorithms bad, timeoutMs string", { ...k, algorithms: ["x"], timeoutMs: "x" }],
  ["algorithms bad, timeoutMs 0", { ...k, algorithms: ["x"], timeoutMs: 0 }],
  ["algorithms bad, unknown option", { ...k, algorithms: ["x"], x: 1 }],
  ["algorithms string, timeoutMs 0", { ...k, algorithms: "x", timeoutMs: 0 }],
  ["algorithms bad, bad key", { key: 5, algorithms: ["x"] }],

  // timeoutMs.
  ["timeoutMs 0", { ...k, timeoutMs: 0 }],
  ["timeoutMs 300001", { ...k, timeoutMs: 300001 }],
  ["timeoutMs 300000", { ...k, timeoutMs: 300000 }],
  ["timeoutMs 1", { ...k, timeoutMs: 1 }],
  ["timeoutMs fraction", { ...k, timeoutMs: 1.5 }],
  ["timeoutMs string", { ...k, timeoutMs: "1000" }],
  ["timeoutMs negative", { ...k, timeoutMs: -1 }],
  ["timeoutMs null", { ...k, timeoutMs: null }],
  ["timeoutMs 2^64", { ...k, timeoutMs: 2 ** 64 }],
  ["timeoutMs 0, unknown option", { ...k, timeoutMs: 0, x: 1 }],
  ["timeoutMs string, unknown option", { ...k, timeoutMs: "x", x: 1 }],
  ["clockSkew string, timeoutMs 0", { ...k, clockSkew: "x", timeoutMs: 0 }],
  ["typ number, timeoutMs 0", { ...k, timeoutMs: 0, typ: 1 }],

  // Unknown names.
  ["unknown option", { ...k, Issuer: "x" }],
  ["unknown null option", { ...k, extra: null }],
  ["unknown long name", { ...k, ["x".repeat(41)]: 1 }],
  ["unknown 40 name", { ...k, ["x".repeat(40)]: 1 }],
  ["unknown name with space", { ...k, "a b": 1 }],
  ["unknown name with dash", { ...k, "max-age": 1 }],
  ["unknown empty name", { ...k, "": 1 }],
  ["unknown non-ASCII name", { ...k, "é": 1 }],
  ["unknown integer keys", { ...k, 7: 1, 3: 2 }],
  ["unknown order 1", { zz: 1, ...k, yy: 2 }],
  ["unknown order 2", { issuer: "https://issuer.example", aa: 1, ...k, bb: 2, cc: 3 }],
  ["unknown order 3", { q0: 0, ...k, q1: 1, audience: "api", q2: 2, typ: "at+jwt", q3: 3, clockSkew: 60 }],
  ["unknown order 4", { q0: 0, jwks: { keys: [JWK] }, q1: 1, requiredScopes: ["read"], q2: 2, algorithms: ["HS256"], q3: 3, timeoutMs: 5 }],
  ["many unknown", { ...k, ...big }],
  ["unknown option, issuer number", { ...k, x: 1, issuer: 5 }],
  ["unknown option, bad key", { key: 5, x: 1 }],

  // Good options, and what the token's checks say after them.
  ["good: key", k],
  ["good: jwks", { jwks: { keys: [JWK] } }],
  ["good: every check", { ...k, issuer: "https://issuer.example", requiredScopes: ["read", "write"], typ: "at+jwt", clockSkew: 0, allowMissingExp: false, algorithms: ["HS256"], timeoutMs: 1000 }],
  ["good: nulls", { ...k, jwks: null, issuer: null, audience: null, requiredScopes: null, typ: null, clockSkew: null, allowMissingExp: null, algorithms: null, timeoutMs: null }],
  ["wrong issuer", { ...k, issuer: "https://other.example" }],
  ["wrong audience", { ...k, audience: "other" }],
  ["missing scope", { ...k, requiredScopes: ["admin"] }],
  ["wrong typ", { ...k, typ: "JWT" }],
  ["key with other kid", { key: { ...JWK, kid: "k2" } }],
  ["jwks with other kid", { jwks: { keys: [{ ...JWK, kid: "k2" }] } }],
  ["key with RSA type", { key: { kty: "RSA", n: "AQAB", e: "AQAB", kid: "k1" } }],
  ["key with RSA type, HS256 allowed", { key: { kty: "RSA", n: "AQAB", e: "AQAB", kid: "k1" }, algorithms: ["HS256"] }],
  ["key with big number", { key: { ...JWK, x: 123456789012345678901234567890 } }],
  ["key with nested object", { key: { ...JWK, x: { y: [1, "z", null, true] } } }],
  ["key with unicode", { key: { ...JWK, x: "é€😀", "ké": 1 } }],
];

/** What a case gives: `{ ok: sub }` or `{ code, message }`. */
export async function outcome(verifyAccessToken, token, [, options, ...given]) {
  try {
    const claims = await verifyAccessToken(given.length > 0 ? given[0] : token, options);
    return { ok: claims.sub };
  } catch (e) {
    return { code: e.code ?? String(e), message: e.message };
  }
}
