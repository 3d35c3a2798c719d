// The unsealed pending value (no stateKey), read and edited by tests that
// need its verifier or one wrong field: `p2.` + base64url of an 8-byte time,
// then 2-byte-length fields (0xffff: absent).
export const FIELD = { provider: 0, clientId: 1, environment: 2, state: 3, redirectUri: 4, verifier: 5, tokenKind: 6 };

export function pendingFields(pending) {
  const bytes = Buffer.from(pending.split(".")[1], "base64url");
  const fields = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt16BE(at);
    at += 2;
    if (length === 0xffff) { fields.push(null); continue; }
    fields.push(bytes.subarray(at, at + length).toString());
    at += length;
  }
  return { time: bytes.subarray(0, 8), fields };
}

/** The same pending value with one field replaced. */
export function editPending(pending, field, value) {
  const { time, fields } = pendingFields(pending);
  fields[field] = value;
  const parts = [time];
  for (const f of fields) {
    const bytes = f === null ? Buffer.alloc(0) : Buffer.from(f);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(f === null ? 0xffff : bytes.length);
    parts.push(length, bytes);
  }
  return `p2.${Buffer.concat(parts).toString("base64url")}`;
}
