// Fixed inputs every library's flow uses.
export const AUTHORIZE = "https://as.example.com/authorize";
export const TOKEN = "https://as.example.com/token";
export const CLIENT_ID = "bench-client";
export const CLIENT_SECRET = "bench-secret";
export const REDIRECT = "https://app.example.com/oauth/callback";
export const SCOPES = ["read", "write"];
// Billit's token response and PayFit's (PROVIDERS.md, "token response" rows).
export const BILLIT_BODY = '{"token_type":"Bearer","expires_in":3600,"access_token":"b-access-token-0123456789","refresh_token":"b-refresh-token-0123456789"}';
export const PAYFIT_BODY = '{"access_token":"pf-access-token-0123456789","token_type":"bearer"}';
export const jsonResponse = (body) => new Response(body, { status: 200, headers: { "content-type": "application/json" } });
