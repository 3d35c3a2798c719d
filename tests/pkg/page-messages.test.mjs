// The page build's messages, filled in its glue (the twenty-fourth session):
// raw.rs' `failed` sends the code's index, the message's id in error-codes.js'
// PAGE_MESSAGES and the parts; raw.js fills the template. These drive raw.js'
// error path with answers the page wasm does not write (a `#[full_only]`
// message, parts counts off the template's), through a stub module.
import { test } from "node:test";
import assert from "node:assert/strict";

const pkg = new URL("../../pkg/", import.meta.url).href;
const { PAGE_CODES, PAGE_MESSAGES } = await import(pkg + "error-codes.js");
const { OAuthError } = await import(pkg + "page-node.js");

// A stub of the page wasm: its memory, `a` (alloc) answering 512, `h`
// (pkce_challenge) answering 1 (failed), `s` (the slots) 0, `d` (dealloc) a
// no-op. Made by binaryen from:
// (module (memory (export "memory") 1)
//  (func (export "a") (param i32) (result i32) (i32.const 512))
//  (func (export "h") (param i32 i32 i32) (result i32) (i32.const 1))
//  (func (export "s") (result i32) (i32.const 0))
//  (func (export "d") (param f64 f64)))
const STUB = Buffer.from("AGFzbQEAAAABFgRgAX8Bf2ADf39/AX9gAAF/YAJ8fAADBQQAAQIDBQMBAAEHGgUGbWVtb3J5AgABYQAAAWgAAQFzAAIBZAADChQEBQBBgAQLBABBAQsEAEEACwIACw==", "base64");
const glue = await import(pkg + "page/partner_oauth.js?page-messages");
const stub = glue.initSync({ module: STUB });

/** The error raw.js throws for an answer of `parts` (texts) and provider fields (null: none). */
function thrown(code, id, parts, providerCode = null, providerMessage = null) {
  const te = new TextEncoder();
  // As the wasm writes them: the provider's fields, then the parts.
  const bytes = Buffer.concat([providerCode ?? "", providerMessage ?? "", ...parts].map((t) => te.encode(t)));
  new Uint8Array(stub.memory.buffer).set(bytes, 256);
  const length = (t) => (t == null ? -1 : te.encode(t).length);
  const lengths = [0, 1, 2, 3].map((i) => (i < parts.length ? te.encode(parts[i]).length : 0));
  new Float64Array(stub.memory.buffer, 0, 12).set([256, bytes.length, 256, bytes.length, code, id, length(providerCode), length(providerMessage), ...lengths]);
  try {
    glue.pkceChallenge("x");
  } catch (e) {
    return e;
  }
  assert.fail("no error thrown");
}

test("every PAGE_MESSAGES entry is a non-empty list of texts (raw.js reads its first and its length)", () => {
  assert.ok(PAGE_MESSAGES.length > 0);
  for (let id = 0; id < PAGE_MESSAGES.length; id++) {
    const pieces = PAGE_MESSAGES[id];
    assert.ok(Object.hasOwn(PAGE_MESSAGES, id) && Array.isArray(pieces) && pieces.length >= 1 && pieces.length <= 5, `${id}`);
    assert.ok(pieces.every((p) => typeof p === "string"), `${id}`);
  }
});

test("a message the page never raises (a #[full_only] hole) is still an OAuthError with its code, its text empty", () => {
  const holes = PAGE_MESSAGES.flatMap((p, id) => (p.length === 1 && p[0] === "" ? [id] : []));
  assert.ok(holes.length > 0);
  for (const id of holes) {
    const e = thrown(PAGE_CODES.indexOf("invalid_config"), id, ["options", "x"]);
    assert.ok(e instanceof OAuthError, String(e));
    assert.equal(e.code, "invalid_config");
    assert.equal(e.message, "");
  }
});

test("the provider's fields are read before the parts, whatever the template takes", () => {
  const none = PAGE_MESSAGES.findIndex((p) => p.length === 1 && p[0] !== "");
  const one = PAGE_MESSAGES.findIndex((p) => p.length === 2);
  const code = PAGE_CODES.indexOf("authorization_error");
  assert.deepEqual(
    { ...thrown(code, none, [], "server_error", "down"), message: thrown(code, none, [], "server_error", "down").message },
    { code: "authorization_error", providerCode: "server_error", providerMessage: "down", name: "OAuthError", message: `${PAGE_MESSAGES[none][0]} (provider: server_error: down)` },
  );
  // More parts than `{}`: the extra parts are dropped (as the full build's fill drops them), the provider's read as written.
  const extra = thrown(code, none, ["EXTRA", "MORE"], "server_error", null);
  assert.deepEqual([extra.message, extra.providerCode, extra.providerMessage], [`${PAGE_MESSAGES[none][0]} (provider: server_error)`, "server_error", undefined]);
  // Fewer: an empty part (as the full build's fill leaves nothing).
  const fewer = thrown(code, one, [], "e", "d");
  assert.deepEqual([fewer.message, fewer.providerCode, fewer.providerMessage], [`${PAGE_MESSAGES[one].join("")} (provider: e: d)`, "e", "d"]);
  const filled = thrown(code, one, ["NAME", "EXTRA"], "e", "");
  assert.deepEqual([filled.message, filled.providerCode, filled.providerMessage], [`${PAGE_MESSAGES[one].join("NAME")} (provider: e: )`, "e", ""]);
});
