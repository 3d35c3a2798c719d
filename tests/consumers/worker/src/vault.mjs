// One Durable Object per connection (provider + identifier) is the source of
// truth for its tokens. It serialises refreshes: however many isolates ask at
// once, one refresh reaches the provider, and the rotated refresh token is
// stored before any caller sees the new access token. (Workers KV is
// eventually consistent: a stale read there would lose a rotated refresh
// token, so none is kept there.)
import { DurableObject } from "cloudflare:workers";
import { OAuthError } from "partner-oauth";
import { clientFor } from "./config.mjs";

const REFRESH_AHEAD_SECONDS = 60;

export class TokenVault extends DurableObject {
  /** Single-use callbacks: true the first time a flow is seen. The mark
   * is kept until the flow would have expired anyway. */
  async consume(flowId, flowExpiresAt) {
    const key = `used:${flowId}`;
    if (await this.ctx.storage.get(key)) return false;
    await this.ctx.storage.put(key, flowExpiresAt);
    return true;
  }

  async store(provider, token) {
    await this.ctx.storage.put("connection", { provider, token });
  }

  async connection() {
    return (await this.ctx.storage.get("connection")) ?? null;
  }

  /** Calls the provider's API; refreshes ahead of expiry, and once after an expired-token answer. */
  async fetchApi(path) {
    const connection = await this.connection();
    if (!connection) return { status: 404, body: "no such connection" };
    const client = clientFor(this.env, connection.provider);
    let token = connection.token;
    if (client.isExpired(token, REFRESH_AHEAD_SECONDS)) token = await this.refresh(client, token.accessToken);
    try {
      return await read(await client.fetchApi(token, path));
    } catch (e) {
      if (!(e instanceof OAuthError) || !["token_expired", "invalid_token"].includes(e.code)) throw e;
      token = await this.refresh(client, token.accessToken);
      return await read(await client.fetchApi(token, path));
    }
  }

  /** Refreshes unless another caller already replaced `staleAccessToken`. */
  refresh(client, staleAccessToken) {
    return this.ctx.blockConcurrencyWhile(async () => {
      const connection = await this.connection();
      if (connection.token.accessToken !== staleAccessToken) return connection.token;
      const fresh = await client.refresh(connection.token);
      await this.ctx.storage.put("connection", { ...connection, token: fresh });
      return fresh;
    });
  }

  /** Test hook: make the stored token look expired. */
  async expireForTest() {
    const connection = await this.connection();
    await this.ctx.storage.put("connection", { ...connection, token: { ...connection.token, expiresAt: 0 } });
  }
}

async function read(response) {
  return { status: response.status, body: await response.text() };
}
