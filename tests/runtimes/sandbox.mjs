// partner-oauth/sandbox in the runtime running this file (Deno, Bun): it
// starts, answers an authorize request with a redirect to the callback, and
// stops. Prints "sandbox ok" (runtimes.test.mjs looks for it).
import { startSandbox } from "partner-oauth/sandbox";

const redirectUri = "http://127.0.0.1:9/oauth/callback";
const sandbox = await startSandbox({ redirectUris: [redirectUri], autoConsent: "approve" });
try {
  const { clientId } = sandbox.config().billit;
  const url = new URL(sandbox.config().billit.endpoints.authorize);
  url.search = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, state: "s" }).toString();
  const answer = await fetch(url, { redirect: "manual" });
  const back = new URL(answer.headers.get("location") ?? "http://none.invalid");
  if (answer.status !== 302 || !back.searchParams.get("code") || back.searchParams.get("state") !== "s") {
    throw new Error(`authorize answered ${answer.status} ${back}`);
  }
  console.log("sandbox ok");
} finally {
  await sandbox.close();
}
