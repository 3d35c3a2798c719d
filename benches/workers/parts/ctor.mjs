import { OAuthClient } from "partner-oauth";
export default { async fetch() {
  const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri: "https://app.example.com/cb" });
  return new Response(client ? "https://x.example/" : "no");
} };
