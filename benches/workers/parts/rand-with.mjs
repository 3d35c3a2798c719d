import { OAuthClient } from "partner-oauth";
export default { async fetch() {
  crypto.getRandomValues(new Uint8Array(32));
  const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri: "https://app.example.com/cb" });
  return new Response(client.startAuthorization().url);
} };
