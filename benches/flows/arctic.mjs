// arctic: its generic OAuth2Client. arctic checks no callback itself; its
// docs compare the state by hand, as here.
import { OAuth2Client, CodeChallengeMethod, OAuth2Tokens, generateCodeVerifier, generateState } from "arctic";
import { AUTHORIZE, TOKEN, CLIENT_ID, CLIENT_SECRET, REDIRECT, SCOPES, BILLIT_BODY, jsonResponse } from "./common.mjs";

export const name = "arctic";

export function setup(fetch = async () => jsonResponse(BILLIT_BODY)) {
  globalThis.fetch = fetch; // arctic calls the global fetch
  return { client: new OAuth2Client(CLIENT_ID, CLIENT_SECRET, REDIRECT) };
}

export function startFlow(ctx) {
  const state = generateState();
  const verifier = generateCodeVerifier();
  const url = ctx.client.createAuthorizationURLWithPKCE(AUTHORIZE, state, CodeChallengeMethod.S256, verifier, SCOPES);
  return { url: url.href, state, verifier };
}

export function checkCallback(ctx, started) {
  const url = new URL(`${REDIRECT}?code=abc&state=${started.state}`);
  if (url.searchParams.get("state") !== started.state) throw new Error("state");
  return url.searchParams.get("code");
}

export function parseBillit(ctx, body) {
  const tokens = new OAuth2Tokens(JSON.parse(body));
  tokens.accessTokenExpiresAt();
  return tokens.accessToken();
}

// PayFit's body has no expires_in, which arctic's getter would throw on.
export function parsePayfit(ctx, body) {
  return new OAuth2Tokens(JSON.parse(body)).accessToken();
}

export async function refreshRequest(ctx) {
  return (await ctx.client.refreshAccessToken(TOKEN, "b-refresh-token-0123456789", [])).accessToken();
}

export async function exchangeAndRefresh(ctx, started) {
  const tokens = await ctx.client.validateAuthorizationCode(TOKEN, checkCallback(ctx, started), started.verifier);
  return ctx.client.refreshAccessToken(TOKEN, tokens.refreshToken(), []);
}

/** A whole refresh through the stub fetch (arctic has no request-only call). */
export const refreshExchange = refreshRequest;
