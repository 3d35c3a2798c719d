// The grant suite's runner for workerd (bundled by runners.mjs, run in
// tests/consumers/redirects/'s Miniflare): GET /?case=<index> runs that case
// against the sandbox in env.SANDBOX, answering "ok", or 500 with the failure.
import * as oauth from "partner-oauth";
import * as a from "./assert.mjs";
import { cases, context } from "./grants.mjs";

export default {
  async fetch(request, env) {
    const index = Number(new URL(request.url).searchParams.get("case"));
    try {
      await cases[index][1](context({ oauth, sandbox: JSON.parse(env.SANDBOX), a }));
      return new Response("ok");
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
