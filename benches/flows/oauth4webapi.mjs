// oauth4webapi: its documented code + PKCE + refresh flow.
import * as oauth from "oauth4webapi";
import { AUTHORIZE, TOKEN, CLIENT_ID, CLIENT_SECRET, REDIRECT, SCOPES, BILLIT_BODY, jsonResponse } from "./common.mjs";

export const name = "oauth4webapi";

export function setup(fetch = async () => jsonResponse(BILLIT_BODY)) {
  const as = { issuer: "https://as.example.com", authorization_endpoint: AUTHORIZE, token_endpoint: TOKEN };
  return { as, client: { client_id: CLIENT_ID }, auth: oauth.ClientSecretPost(CLIENT_SECRET), fetch };
}

export async function startFlow() {
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const url = new URL(AUTHORIZE);
  url.searchParams.set("client_id", CLIENT_ID);
  url.searchParams.set("redirect_uri", REDIRECT);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", SCOPES.join(" "));
  url.searchParams.set("code_challenge", challenge);
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("state", state);
  return { url: url.href, state, verifier };
}

export function checkCallback(ctx, started) {
  const params = oauth.validateAuthResponse(ctx.as, ctx.client, new URL(`${REDIRECT}?code=abc&state=${started.state}`), started.state);
  return params;
}

async function parse(ctx, body) {
  return (await oauth.processAuthorizationCodeResponse(ctx.as, ctx.client, jsonResponse(body))).access_token;
}
export const parseBillit = parse;
export const parsePayfit = parse;

export async function refreshRequest(ctx) {
  let sent;
  await oauth.refreshTokenGrantRequest(ctx.as, ctx.client, ctx.auth, "b-refresh-token-0123456789", {
    [oauth.customFetch]: async (url, init) => { sent = init.body; return jsonResponse(BILLIT_BODY); },
  });
  return sent;
}

export async function exchangeAndRefresh(ctx, started) {
  const params = checkCallback(ctx, started);
  const options = { [oauth.customFetch]: ctx.fetch };
  const response = await oauth.authorizationCodeGrantRequest(ctx.as, ctx.client, ctx.auth, params, REDIRECT, started.verifier, options);
  const token = await oauth.processAuthorizationCodeResponse(ctx.as, ctx.client, response);
  const refreshed = await oauth.refreshTokenGrantRequest(ctx.as, ctx.client, ctx.auth, token.refresh_token, options);
  return oauth.processRefreshTokenResponse(ctx.as, ctx.client, refreshed);
}

/** A whole refresh through the stub fetch: request, send, parse. */
export async function refreshExchange(ctx) {
  const response = await oauth.refreshTokenGrantRequest(ctx.as, ctx.client, ctx.auth, "b-refresh-token-0123456789", { [oauth.customFetch]: ctx.fetch });
  return (await oauth.processRefreshTokenResponse(ctx.as, ctx.client, response)).access_token;
}
