// The grant suite's runner in a browser page (headless Chromium, driven by
// runners.mjs from tests/consumers/redirects/): window.runCase(index,
// sandbox) runs one case as a page, where a client secret must be refused;
// the harness presses consent (window.consent, exposed by Playwright) as the
// user would.
import * as oauth from "partner-oauth";
import * as a from "./assert.mjs";
import { cases, context } from "./grants.mjs";

window.runCase = async (index, sandbox) => {
  try {
    await cases[index][1](context({ oauth, sandbox, a, page: true, consent: (url, decision) => window.consent(url, decision) }));
    return "ok";
  } catch (error) {
    return String(error?.stack ?? error);
  }
};
document.body.dataset.ready = "true";
