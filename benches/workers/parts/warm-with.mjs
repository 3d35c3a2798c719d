import { OAuthClient } from "partner-oauth";
// Warm-up at module evaluation (no random draw): the constructor's code paths.
try { new OAuthClient({ provider: "billit", clientId: "w", redirectUri: "https://w.example/cb" }).free(); } catch {}
export default { async fetch() {
  const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri: "https://app.example.com/cb" });
  return new Response(client.startAuthorization().url);
} };
