// Node's side of every runner: the sandbox, described as grants.mjs reads it
// (plain JSON, so it crosses into a child process, a Worker or a page).
import { startSandbox, sandboxClients } from "../../www/sandbox/server.mjs";

export const REDIRECT = "http://127.0.0.1:9/oauth/callback";

/** A fresh sandbox (the Billit case moves its clock) and its description for `providers`. */
export async function sandboxFor(providers) {
  const sandbox = await startSandbox({ redirectUris: [REDIRECT] });
  const entries = providers.map((name) => [name, {
    endpoints: Object.fromEntries(Object.entries(sandbox.endpoints(name)).filter(([, v]) => v)),
    clients: sandboxClients(name), issuer: sandbox.issuer(name), jwksUrl: sandbox.jwksUrl(name),
  }]);
  return { sandbox, described: { url: sandbox.url, redirectUri: REDIRECT, providers: Object.fromEntries(entries) } };
}
