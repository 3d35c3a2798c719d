// Node home: the grant suite (tests/runtimes/grants.mjs) on the installed
// package, as a server uses it: one test per case. The same suite runs in
// Deno and Bun (tests/runtimes/), workerd and Chromium (../redirects/).
import { test, before, after } from "node:test";
import * as oauth from "partner-oauth";
import * as a from "../../runtimes/assert.mjs";
import { cases, context } from "../../runtimes/grants.mjs";
import { sandboxFor } from "../../runtimes/harness.mjs";

let sandbox, described;
before(async () => ({ sandbox, described } = await sandboxFor(oauth.providers().map(({ name }) => name))));
after(() => sandbox.close());

for (const [name, run] of cases) test(name, () => run(context({ oauth, sandbox: described, a })));
