import { providers } from "partner-oauth";
export default { async fetch() { return new Response(providers().length ? "https://x.example/" : "no"); } };
