// `partner-oauth/page`: start and callback type-check; the server-side
// methods are not there (each @ts-expect-error must be an error).
import { OAuthClient, OAuthError } from "partner-oauth/page";
import type { Pending, CallbackResult } from "partner-oauth/page";
import * as full from "partner-oauth";

const page = new OAuthClient({ provider: "billit", environment: "sandbox", clientId: "c", redirectUri: "https://a.example/cb" });
const pending: Pending = page.startAuthorization({ payload: "customer=42" }).pending;
const callback: CallbackResult = page.parseCallback("https://a.example/cb?code=x&state=y", pending);
// What the page hands its server is what the full build takes.
const server = new full.OAuthClient({ provider: "billit", clientId: "c", clientSecret: "s", redirectUri: "https://a.example/cb" });
void server.exchangeCode(callback, pending);
// @ts-expect-error the page build does not exchange
void page.exchangeCode(callback, pending);
// @ts-expect-error nor parse token responses
page.parseTokenResponse({ status: 200, body: "{}" });
const same: typeof full.OAuthError = OAuthError;
void same;
