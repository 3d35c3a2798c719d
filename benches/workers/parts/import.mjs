import { OAuthClient } from "partner-oauth";
export default { async fetch() { return new Response(typeof OAuthClient === "function" ? "https://x.example/" : "no"); } };
