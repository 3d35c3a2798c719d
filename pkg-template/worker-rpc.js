// The RPC wrapper between the routes and the Durable Objects: RPC answers are
// plain data, so a typed error crosses as `{ error }` and becomes an
// OAuthError again on the caller's side. Anything else is thrown as is.
import { OAuthError } from "__OAUTH_ERROR__";
import { isIndexName } from "./worker-index.js";
import { isOwnerIndexName } from "./worker-owners.js";

/** Runs an RPC method's body: its answer, or `{ error }` for a typed error. */
export async function rpc(body) {
  try {
    return await body();
  } catch (error) {
    if (error instanceof OAuthError) {
      return { error: { code: error.code, message: error.message, status: error.status, retryAfter: error.retryAfter } };
    }
    throw error;
  }
}

/** The caller's side: the answer, or the OAuthError it carried. */
export function unwrap(result) {
  if (result?.error) {
    const { code, message, status, retryAfter } = result.error;
    throw withRetryAfter(new OAuthError(code, message, { status }), retryAfter);
  }
  return result;
}

export function withRetryAfter(error, retryAfter) {
  if (retryAfter != null) error.retryAfter = retryAfter;
  return error;
}

/** The stub of the object named `key` in the binding. */
export function stubOf(namespace, key) {
  return namespace.get(namespace.idFromName(key));
}

/** A connection key (three strings), or with `index` a company index's name (true) or an owner index's ("owner"). */
export function parseKey(key, index) {
  let parsed;
  try {
    parsed = typeof key === "string" ? JSON.parse(key) : null;
  } catch {
    parsed = null;
  }
  const shape = index === "owner"
    ? isOwnerIndexName(parsed)
    : index
    ? isIndexName(parsed)
    : Array.isArray(parsed) && parsed.length === 3 && parsed.every((part) => typeof part === "string") && parsed[0] !== "";
  if (!shape || JSON.stringify(parsed) !== key) throw new OAuthError("connection_not_found", "not a connection key");
  const [owner, provider, label] = parsed;
  return { owner, provider, label };
}

/** A random number in [0, 1) for the lifecycle's jitter. */
export function random() {
  return crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32;
}
