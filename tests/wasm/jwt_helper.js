// Test helper: real JWTs signed by WebCrypto, for each algorithm.
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
export async function makeToken(alg, claims) {
  const [generate, sign] = PARAMS[alg];
  const keys = await crypto.subtle.generateKey(generate, true, ["sign", "verify"]);
  const signing = keys.privateKey ?? keys;
  const verifying = keys.publicKey ?? keys;
  const jwk = await crypto.subtle.exportKey("jwk", verifying);
  delete jwk.key_ops;
  delete jwk.ext;
  jwk.kid = "test-key";
  const input = `${encode({ alg, kid: "test-key", typ: "JWT" })}.${encode(claims)}`;
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
