// The few assertions the grant table needs, with no runtime's own library
// (node:assert, Deno's std, bun:test), so one table runs everywhere.

export class AssertionError extends Error {}

const show = (v) => { try { return JSON.stringify(v); } catch { return String(v); } };

export function ok(value, message = `expected a truthy value, got ${show(value)}`) {
  if (!value) throw new AssertionError(message);
}

export function equal(actual, expected, message) {
  if (!Object.is(actual, expected)) throw new AssertionError(message ?? `expected ${show(expected)}, got ${show(actual)}`);
}

export function notEqual(actual, unexpected, message) {
  if (Object.is(actual, unexpected)) throw new AssertionError(message ?? `expected anything but ${show(unexpected)}`);
}

/** Plain data only (what tokens and claims are): compared as JSON. */
export function deepEqual(actual, expected, message) {
  if (show(actual) !== show(expected)) throw new AssertionError(message ?? `expected ${show(expected)}, got ${show(actual)}`);
}

export function match(actual, pattern, message) {
  if (typeof actual !== "string" || !pattern.test(actual)) throw new AssertionError(message ?? `expected ${show(actual)} to match ${pattern}`);
}

/** The package's typed error: its own class, its name, and `code`. */
function checkOAuthError(error, OAuthError, code, check) {
  if (!(error instanceof OAuthError) || error.name !== "OAuthError" || error.code !== code) {
    throw new AssertionError(`expected OAuthError ${code}, got ${error?.name} ${error?.code}: ${error?.message}`);
  }
  check?.(error);
  return error;
}

export async function rejectsWith(OAuthError, promise, code, check) {
  try {
    await promise;
  } catch (error) {
    return checkOAuthError(error, OAuthError, code, check);
  }
  throw new AssertionError(`expected OAuthError ${code}, but it resolved`);
}

export function throwsWith(OAuthError, fn, code, check) {
  try {
    fn();
  } catch (error) {
    return checkOAuthError(error, OAuthError, code, check);
  }
  throw new AssertionError(`expected OAuthError ${code}, but it returned`);
}
