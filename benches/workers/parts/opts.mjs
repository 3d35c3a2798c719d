import { OAuthClient } from "partner-oauth";
import { clientOptions } from "../../../src/wasm/options.js";
export default { async fetch() {
  const r = clientOptions({ provider: "billit", clientId: "c", redirectUri: "https://app.example.com/cb" });
  return new Response(r && OAuthClient ? "https://x.example/" : "no");
} };
