// partner-oauth: the custom preset pointed at the bench's endpoints.
import { OAuthClient } from "partner-oauth";
import { AUTHORIZE, TOKEN, CLIENT_ID, CLIENT_SECRET, REDIRECT, SCOPES, BILLIT_BODY, jsonResponse } from "./common.mjs";

export const name = "partner-oauth";

export function setup(fetch = async () => jsonResponse(BILLIT_BODY)) {
  const client = new OAuthClient({ provider: "custom", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT,
    endpoints: { authorize: AUTHORIZE, token: TOKEN }, preset: { clientAuth: "body" }, fetch });
  const billit = new OAuthClient({ provider: "billit", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT, fetch });
  const payfit = new OAuthClient({ provider: "payfit", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT, fetch });
  return { client, billit, payfit };
}

/** PKCE verifier + S256 challenge + state + authorize URL. */
export function startFlow(ctx) {
  const { url, state, pending } = ctx.client.startAuthorization({ scopes: SCOPES });
  return { url, state, pending };
}

export function checkCallback(ctx, started) {
  return ctx.client.parseCallback(`${REDIRECT}?code=abc&state=${started.state}`, started.pending).code;
}

export function parseBillit(ctx, body) {
  return ctx.billit.parseTokenResponse({ status: 200, body }).accessToken;
}

export function parsePayfit(ctx, body) {
  return ctx.payfit.parseTokenResponse({ status: 200, body }).accessToken;
}

export function refreshRequest(ctx) {
  return ctx.client.refreshRequest("b-refresh-token-0123456789").body;
}

export async function exchangeAndRefresh(ctx, started) {
  const callback = ctx.client.parseCallback(`${REDIRECT}?code=abc&state=${started.state}`, started.pending);
  const token = await ctx.client.exchangeCode(callback, started.pending);
  return ctx.client.refresh(token);
}

/** A whole refresh through the stub fetch: request, send, parse. */
export async function refreshExchange(ctx) {
  return (await ctx.client.refresh("b-refresh-token-0123456789")).accessToken;
}
