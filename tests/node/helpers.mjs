// Shared by the Node tests: the built package, loaded once, and a way to
// click through the sandbox's consent page the way a browser would.
import * as oauth from "../../pkg/node.js";
export { startSandbox, sandboxClients } from "../../www/sandbox/server.mjs";
export { oauth };

export const REDIRECT = "http://127.0.0.1:9/oauth/callback";

/** Opens the authorize URL, presses Approve or Deny, returns the redirect. */
export async function consent(authorizeUrl, decision = "approve") {
  const page = await fetch(authorizeUrl, { redirect: "manual" });
  if (page.status === 302) return page.headers.get("location");
  const html = await page.text();
  const request = html.match(/name="request" value="([^"]+)"/)?.[1];
  const action = html.match(/action="([^"]+)"/)?.[1];
  if (!request) throw new Error(`no consent form (HTTP ${page.status}): ${html.slice(0, 200)}`);
  const answer = await fetch(new URL(action, authorizeUrl), {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ request, decision }),
  });
  return answer.headers.get("location");
}

/** Scopes a test flow asks `provider` for: none where the guide documents
 * none (Billit, whose sandbox refuses a `scope`), one of PayFit's list
 * (its sandbox requires one), else `fallback`. */
export const scopesFor = (provider, fallback = ["profile"]) =>
  ({ billit: undefined, payfit: ["contracts:read"] })[provider] ?? (provider === "billit" ? undefined : fallback);

/** An OAuthClient pointed at the sandbox for `provider`. */
export function sandboxClient(sandbox, provider, { client = "main", ...extra } = {}) {
  const { clientId, clientSecret } = (extra.sandboxClients ?? defaultClients)(provider)[client];
  delete extra.sandboxClients;
  return new oauth.OAuthClient({
    provider, clientId, clientSecret, redirectUri: REDIRECT,
    endpoints: Object.fromEntries(Object.entries(sandbox.endpoints(provider)).filter(([, v]) => v)),
    ...extra,
  });
}

import { sandboxClients as defaultClients } from "../../www/sandbox/server.mjs";

/** Expects `promise` to reject with an OAuthError of `code`. */
export async function rejectsWith(promise, code, check = () => {}) {
  try {
    await promise;
  } catch (e) {
    if (e.name !== "OAuthError" || e.code !== code) throw new Error(`expected ${code}, got ${e.name} ${e.code}: ${e.message}`);
    check(e);
    return e;
  }
  throw new Error(`expected ${code}, but it succeeded`);
}
