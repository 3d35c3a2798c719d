// Test helpers: real JWTs signed by WebCrypto for each algorithm, and the
// verifyAccessToken checks every runtime runs (Node, Chromium, …).
const PARAMS = {
  RS256: [{ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, { name: "RSASSA-PKCS1-v1_5" }],
  PS256: [{ name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, { name: "RSA-PSS", saltLength: 32 }],
  ES256: [{ name: "ECDSA", namedCurve: "P-256" }, { name: "ECDSA", hash: "SHA-256" }],
  HS256: [{ name: "HMAC", hash: "SHA-256" }, { name: "HMAC" }],
};

const b64u = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64u = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const encode = (value) => b64u(new TextEncoder().encode(JSON.stringify(value)));

/** { token, jwk, pem } — pem is null for HS256. */
export async function makeToken(alg, claims, kid = "test-key") {
  const [generate, sign] = PARAMS[alg];
  const keys = await crypto.subtle.generateKey(generate, true, ["sign", "verify"]);
  const signing = keys.privateKey ?? keys;
  const verifying = keys.publicKey ?? keys;
  const jwk = await crypto.subtle.exportKey("jwk", verifying);
  delete jwk.key_ops;
  delete jwk.ext;
  jwk.kid = kid;
  const input = `${encode({ alg, kid, typ: "JWT" })}.${encode(claims)}`;
  const signature = await crypto.subtle.sign(sign, signing, new TextEncoder().encode(input));
  let pem = null;
  if (alg !== "HS256") {
    // Standard base64 with padding, as PEM has.
    const spki = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.exportKey("spki", verifying))));
    pem = `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g).join("\n")}\n-----END PUBLIC KEY-----\n`;
  }
  return { token: `${input}.${b64u(signature)}`, jwk, pem };
}

/** The token with one bit flipped in part 0 (header), 1 (payload) or 2
 * (signature); in header and payload, a letter near the end, so the JSON
 * stays valid and only the signature can catch it. */
export function flipBit(token, part) {
  const parts = token.split(".");
  const bytes = fromB64u(parts[part]);
  const at = part === 2 ? 0 : bytes.length - 4;
  bytes[at] ^= 1;
  parts[part] = b64u(bytes);
  return parts.join(".");
}

const now = () => Math.floor(Date.now() / 1000);
const CLAIMS = () => ({ iss: "https://www.tropipay.com", aud: "tropipay-api", exp: now() + 3600, scope: "ALLOW_GET_BALANCE", sub: "m2m-client" });
const EXPECT = { issuer: "https://www.tropipay.com", audience: "tropipay-api", requiredScopes: ["ALLOW_GET_BALANCE"] };

/** The rejection's OAuthError code; throws when the promise resolves. */
async function refusedCode(oauth, promise, what) {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof oauth.OAuthError)) throw new Error(`${what}: not an OAuthError: ${e}`);
    return e.code;
  }
  throw new Error(`${what}: must be refused`);
}

function equal(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: ${JSON.stringify(actual)} !== ${JSON.stringify(expected)}`);
}

/**
 * verifyAccessToken through the runtime's own WebCrypto, runtime-neutral
 * (Node, Chromium, …): every algorithm with its key as a JWK, a JWK Set and
 * PEM verifies, and a flipped bit anywhere is refused.
 */
export async function everyAlgorithmVerifies(oauth) {
  for (const alg of ["RS256", "PS256", "ES256", "HS256"]) {
    const made = await makeToken(alg, CLAIMS());
    const forms = [["key", made.jwk], ["jwks", { keys: [made.jwk] }]];
    if (made.pem) forms.push(["key", made.pem]);
    for (const [name, key] of forms) {
      const options = { ...EXPECT, [name]: key };
      const claims = await oauth.verifyAccessToken(made.token, options);
      equal(claims.sub, "m2m-client", `${alg} ${name}`);
      for (const part of [0, 1, 2]) {
        const code = await refusedCode(oauth, oauth.verifyAccessToken(flipBit(made.token, part), options), `${alg} ${name} part ${part}`);
        equal(code, "invalid_signature", `${alg} ${name} part ${part}`);
      }
    }
  }
}

/** Each refusal names the check that failed. */
export async function theChecksNameWhatFailed(oauth) {
  const made = await makeToken("ES256", CLAIMS());
  // The token names its audience: options that name none refuse it (RFC 7519 §4.1.3).
  const refused = (extra, token = made.token) => refusedCode(oauth, oauth.verifyAccessToken(token, { key: made.jwk, audience: "tropipay-api", ...extra }), JSON.stringify(extra));
  equal(await refused({ audience: undefined }), "audience_mismatch", "no audience configured");
  equal(await refused({ issuer: "https://evil.example.com" }), "issuer_mismatch", "issuer");
  equal(await refused({ audience: "other-api" }), "audience_mismatch", "audience");
  equal(await refused({ requiredScopes: ["ALLOW_PAYOUTS"] }), "insufficient_scope", "scopes");
  equal(await refused({ algorithms: ["RS256"] }), "algorithm_not_allowed", "algorithms");
  // An empty or unknown list is a mistake in the options, not "allow all".
  equal(await refused({ algorithms: [] }), "invalid_config", "empty algorithms");
  equal(await refused({ algorithms: ["ES256", "ES512"] }), "invalid_config", "unknown algorithm");
  // Alg confusion: the same token claiming HS256, checked with the EC key.
  // By default an EC key allows only ES256; listed, HS256 still finds no key.
  const [, payload, signature] = made.token.split(".");
  const hsHeader = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InRlc3Qta2V5In0"; // {"alg":"HS256","typ":"JWT","kid":"test-key"}
  equal(await refused({}, `${hsHeader}.${payload}.${signature}`), "algorithm_not_allowed", "alg confusion");
  equal(await refused({ algorithms: ["ES256", "HS256"] }, `${hsHeader}.${payload}.${signature}`), "key_not_found", "alg confusion, listed");
  equal(await refused({}, `eyJhbGciOiJub25lIn0.${payload}.`), "algorithm_not_allowed", "alg none"); // {"alg":"none"}
  equal(await refused({}, "a.b"), "invalid_jwt", "two parts");
  const expired = await makeToken("ES256", { exp: 1000 });
  const code = await refusedCode(oauth, oauth.verifyAccessToken(expired.token, { key: expired.jwk }), "expired");
  equal(code, "token_expired", "expired");
  // RFC 9068: exp is required unless opted out; typ is checked when asked.
  const forever = await makeToken("ES256", { sub: "x" });
  equal(await refusedCode(oauth, oauth.verifyAccessToken(forever.token, { key: forever.jwk }), "no exp"), "invalid_jwt", "no exp");
  equal((await oauth.verifyAccessToken(forever.token, { key: forever.jwk, allowMissingExp: true })).sub, "x", "no exp, allowed");
  equal(await refusedCode(oauth, oauth.verifyAccessToken(forever.token, { key: forever.jwk, allowMissingExp: true, typ: "at+jwt" }), "typ"), "invalid_jwt", "typ JWT is not at+jwt");
}
