// The demo for now: load the built package in Node exactly as a server would,
// start a flow for every provider, and finish one callback. (The browser demo
// with a local provider sandbox grows from here.)
import { OAuthClient } from "../pkg/node.js";

const redirectUri = "https://app.example.com/oauth/callback";
const flows = [
  { provider: "payfit", start: { scopes: ["contracts:read", "collaborators:read"] } },
  { provider: "payout", environment: "sandbox", start: { scopes: ["VERIFY"] } },
  { provider: "factorial", environment: "demo", start: { tokenKind: "company" } },
  { provider: "tropipay", environment: "sandbox", start: { scopes: ["ALLOW_GET_PROFILE_DATA"] } },
  { provider: "billit", environment: "sandbox", start: { payload: "customer=42" } },
];

console.log("partner-oauth: a worked authorize URL per provider\n");
for (const { provider, environment, start } of flows) {
  const client = new OAuthClient({ provider, environment, clientId: "your-client-id", redirectUri });
  const { url } = client.startAuthorization(start);
  console.log(`${provider} (${client.environment})\n  ${url}\n`);
}

// Finish one flow: the provider redirects back with code and state.
const billit = new OAuthClient({
  provider: "billit", environment: "sandbox", clientId: "your-client-id", redirectUri,
  stateKey: "a-32-byte-or-longer-secret-key!!",
});
const { state, pending } = billit.startAuthorization({ payload: "customer=42" });
const callback = billit.parseCallback(`${redirectUri}?code=sandbox-code&state=${state}`, pending);
console.log(`billit callback → payload ${JSON.stringify(callback.payload)}, code received`);
try {
  billit.parseCallback(`${redirectUri}?code=sandbox-code&state=forged`, pending);
} catch (e) {
  console.log(`tampered state → ${e.name} ${e.code}: ${e.message}`);
}
