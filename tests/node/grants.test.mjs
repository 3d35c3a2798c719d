// The grant suite (tests/runtimes/grants.mjs) in Node, on the built package:
// one test per case. tests/runtimes/ runs the same suite in Deno, Bun,
// workerd and headless Chromium on the packed tarball.
import { test, before, after } from "node:test";
import * as oauth from "../../pkg/node.js";
import * as a from "../runtimes/assert.mjs";
import { cases, context } from "../runtimes/grants.mjs";
import { sandboxFor } from "../runtimes/harness.mjs";

let sandbox, described;
before(async () => ({ sandbox, described } = await sandboxFor(oauth.providers().map(({ name }) => name))));
after(() => sandbox.close());

for (const [name, run] of cases) test(name, () => run(context({ oauth, sandbox: described, a })));
