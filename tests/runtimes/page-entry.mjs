// partner-oauth/page through its `node` entry (page-node.js, which reads the
// wasm from disk), in Node, Deno and Bun (runtimes.test.mjs runs it in
// each): two flows start with different states, one finishes, and the
// helpers answer. Prints "page ok", or throws.
import * as page from "partner-oauth/page";

const options = { provider: "billit", clientId: "page-entry", redirectUri: "http://127.0.0.1:8080/callback" };
const client = new page.OAuthClient(options);
const flows = [client.startAuthorization(), client.startAuthorization({ payload: "customer=42" })];
const states = flows.map(({ url }) => new URL(url).searchParams.get("state"));
if (states[0] === states[1]) throw new Error(`two flows had one state: ${states[0]}`);
const callback = `http://127.0.0.1:8080/callback?code=c0de&state=${encodeURIComponent(states[1])}`;
const finished = client.parseCallback(callback, flows[1].pending);
if (finished.code !== "c0de" || finished.payload !== "customer=42") throw new Error(`the second flow finished as ${JSON.stringify(finished)}`);
try {
  client.parseCallback(callback, flows[0].pending);
  throw new Error("a callback was accepted with another flow's pending value");
} catch (error) {
  if (!(error instanceof page.OAuthError) || error.code !== "state_mismatch") throw error;
}
if (!/^[A-Za-z0-9_-]{43}$/.test(page.newPkceVerifier())) throw new Error("newPkceVerifier");
console.log("page ok");
