// A token result assembled from the wasm's UTF-8 parts (a view of its
// memory, read before anything can move it) and their byte lengths, in
// token_to_js's order; 0xFFFFFFFF is null. The object is the one JSON.parse
// gave before: the same fields in the same order, `raw` non-enumerable.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
export function tokenParts(bytes, lengths, expiresAt, obtainedAt, flags) {
  const text = utf8.decode(bytes);
  // ASCII (the usual case): byte offsets are string offsets.
  const ascii = text.length === bytes.length;
  let at = 0;
  const part = (i) => {
    const length = lengths[i];
    if (length === 0xffffffff) return null;
    return ascii ? text.slice(at, (at += length)) : utf8.decode(bytes.subarray(at, (at += length)));
  };
  const accessToken = part(0), tokenType = part(1), refreshToken = part(2), companyId = part(3);
  const extra = part(4), raw = part(5), scopes = [];
  for (let i = 6; i < lengths.length; i++) scopes.push(part(i));
  const token = {
    accessToken,
    tokenType,
    expiresAt: expiresAt < 0 ? null : expiresAt,
    neverExpires: (flags & 1) !== 0,
    refreshToken,
    scopes,
    scopesInferred: (flags & 2) !== 0,
    extra: extra === "" ? {} : JSON.parse(extra),
    obtainedAt,
    companyId,
  };
  Object.defineProperty(token, "raw", { value: raw });
  return token;
}
