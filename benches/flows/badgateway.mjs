// @badgateway/oauth2-client: its authorization-code helper.
import { OAuth2Client, generateCodeVerifier } from "@badgateway/oauth2-client";
import { AUTHORIZE, TOKEN, CLIENT_ID, CLIENT_SECRET, REDIRECT, SCOPES, BILLIT_BODY, jsonResponse } from "./common.mjs";

export const name = "@badgateway/oauth2-client";

export function setup(fetch = async () => jsonResponse(BILLIT_BODY)) {
  const client = new OAuth2Client({
    server: "https://as.example.com/", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET,
    authorizationEndpoint: AUTHORIZE, tokenEndpoint: TOKEN, authenticationMethod: "client_secret_post", fetch,
  });
  return { client };
}

export async function startFlow(ctx) {
  const verifier = await generateCodeVerifier();
  const state = Math.random().toString(36).slice(2);
  const url = await ctx.client.authorizationCode.getAuthorizeUri({ redirectUri: REDIRECT, state, codeVerifier: verifier, scope: SCOPES });
  return { url, state, verifier };
}

export function checkCallback(ctx, started) {
  return ctx.client.authorizationCode.validateResponse(`${REDIRECT}?code=abc&state=${started.state}`, { state: started.state }).code;
}

async function parse(ctx, body) {
  return (await ctx.client.tokenResponseToOAuth2Token(Promise.resolve(JSON.parse(body)))).accessToken;
}
export const parseBillit = parse;
export const parsePayfit = parse;

export async function refreshRequest(ctx) {
  return (await ctx.client.refreshToken({ accessToken: "a", refreshToken: "b-refresh-token-0123456789", expiresAt: null })).accessToken;
}

export async function exchangeAndRefresh(ctx, started) {
  const token = await ctx.client.authorizationCode.getToken({ code: checkCallback(ctx, started), redirectUri: REDIRECT, codeVerifier: started.verifier });
  return ctx.client.refreshToken(token);
}

/** A whole refresh through the stub fetch (no request-only call here either). */
export const refreshExchange = refreshRequest;
