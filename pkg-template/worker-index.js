// The company index: where a preset says one token per company (a new token
// for a company invalidates the previous one), an object per (provider,
// company) remembers which connection holds it, so a newer consent
// supersedes the older connection. It lives in the connections' binding
// under a four-element name no connection key (three) can take, so an index
// object is an instance of the same Durable Object class (worker-connection.js);
// only its one RPC `index` reaches here, and `CompanyIndex` reads and writes
// only the `holder` key, never a connection's record or tokens.
import { OAuthError } from "__OAUTH_ERROR__";
import { IndexStore } from "./worker-store.js";
import { unwrap, stubOf } from "./worker-rpc.js";
import { isOwnerIndexName, ownerIndexOp } from "./worker-owners.js";
import { holdsCompany } from "./lifecycle.js";

export { withOwners } from "./worker-owners.js";

const PREFIX = "partner-oauth:index";

/** The index object's name for a company of a provider. */
export function indexKey(provider, companyId) {
  return JSON.stringify([PREFIX, "company", provider, companyId]);
}

/** Is `parsed` (a JSON-parsed object name) an index name? */
export function isIndexName(parsed) {
  // Of the company kind: an owner index (worker-owners.js) shares the prefix and the length.
  return Array.isArray(parsed) && parsed.length === 4 && parsed[0] === PREFIX && parsed[1] === "company";
}

/** An index object's kind from its name: "company", "owner", or null (no index: a connection). */
export function indexKind(name) {
  let parsed = null;
  try {
    parsed = typeof name === "string" ? JSON.parse(name) : null;
  } catch {
    // Not JSON: no index.
  }
  return isOwnerIndexName(parsed) ? "owner" : isIndexName(parsed) ? "company" : null;
}

/** The index RPC's body, on the object named `name` (checked to be this one): a company
 * index's "claim" and "release", an owner index's operations (worker-owners.js). */
export async function indexOp(storage, name, op, [holder, ...rest]) {
  if (indexKind(name) === "owner") return ownerIndexOp(storage, name, op, [holder, ...rest]);
  if (op === "claim") return new CompanyIndex(storage).claim(holder);
  if (op === "release") return new CompanyIndex(storage).release(holder);
  throw new OAuthError("invalid_argument", "no such company index operation");
}

export class CompanyIndex {
  #store;

  constructor(storage) {
    this.#store = new IndexStore(storage);
  }

  /** `holder` holds the company's token now; the one it replaces, or null. */
  async claim(holder) {
    const previous = await this.#store.holder();
    if (previous === holder) return { previous: null };
    await this.#store.setHolder(holder);
    return { previous };
  }

  /** `holder` no longer holds the company: cleared if it is still the one named (compare and clear). */
  async release(holder) {
    if ((await this.#store.holder()) === holder) await this.#store.clearHolder();
    return {};
  }
}

/** The consent of connection `key` took the company's one token: the previous holder is superseded. */
export async function supersedeOthers(namespace, key, provider, companyId) {
  const name = indexKey(provider, companyId);
  const { previous } = unwrap(await stubOf(namespace, name).index(name, "claim", key));
  // The company goes along: the previous holder ends only if it still holds it (the index may be stale).
  if (previous && previous !== key) unwrap(await stubOf(namespace, previous).supersede(previous, companyId));
}

/** Connection `key` no longer holds `companyId` (it moved to another company, or ended): its
 * index entry, if still its own, is cleared. Best effort: supersede checks the company anyway. */
export async function releaseCompany(namespace, key, provider, companyId) {
  try {
    const name = indexKey(provider, companyId);
    unwrap(await stubOf(namespace, name).index(name, "release", key));
  } catch {
    // A stale entry is harmless: supersede ends only a connection that holds the company.
  }
}

/** Connection `key`'s record went from `before` to `now`: if `before` held a company `now`
 * no longer holds (it moved to another, or ended), the company index's entry, if still
 * this connection's, is cleared. `clientFor(provider)`: its client, for the preset's data. */
export async function releaseMoved(namespace, key, before, now, clientFor) {
  const companyId = before?.companyId ?? null;
  if (companyId === null || holdsCompany(now, companyId).should) return;
  let indexed = false;
  try {
    indexed = clientFor(before.provider).oneTokenPerCompany;
  } catch {
    // A provider no longer configured: its index, if any, stays (harmless, see supersede).
  }
  if (indexed) await releaseCompany(namespace, key, before.provider, companyId);
}
