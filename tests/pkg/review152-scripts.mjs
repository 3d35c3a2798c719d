// Review 152's scripts (tests/pkg/review152.test.mjs): copies of the shipped page package whose constant-time
// compare (the function review130's compares() finds) has another body, and a callback against such a copy.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compares } from "./review130-scripts.mjs";

const uleb = (v) => { const o = []; do { let x = v & 127; v = Math.floor(v / 128); if (v) x |= 128; o.push(x); } while (v); return o; };
const leb = (b, at) => { let v = 0, s = 0, x; do { x = b[at++]; v += (x & 127) * 2 ** s; s += 7; } while (x & 128); return [v, at]; };

/** `bytes` (a module) with function `index`'s body (locals and code, no size) replaced by `body`: the code
 * section rebuilt, its sizes re-encoded. */
export function replaceBody(bytes, index, body) {
  const out = [...bytes.subarray(0, 8)];
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    if (id !== 10) out.push(...bytes.subarray(at, start + size));
    else {
      let [n, p] = leb(bytes, start);
      const code = [...uleb(n)];
      for (let i = 0; i < n; i++) {
        const [len, q] = leb(bytes, p);
        const b = i === index ? Buffer.from(body) : bytes.subarray(q, q + len);
        code.push(...uleb(b.length), ...b);
        p = q + len;
      }
      out.push(10, ...uleb(code.length), ...code);
    }
    at = start + size;
  }
  return Buffer.from(out);
}

/** A copy of the package at `pkg` (a file URL) whose compare (compares(pkg, pinned)'s one match) is `body` (hex):
 * the copy's URL. */
export async function mutant(pkg, pinned, body) {
  const r = await compares(pkg, pinned);
  if (r.same.length !== 1) throw new Error(`mutant: ${r.same.length} compares in the shipped page`);
  const dir = mkdtempSync(join(tmpdir(), "review152-"));
  cpSync(fileURLToPath(pkg), dir, { recursive: true });
  const wasm = join(dir, "page/partner_oauth_bg.wasm");
  writeFileSync(wasm, replaceBody(readFileSync(wasm), r.same[0], Buffer.from(body, "hex")));
  return pathToFileURL(dir).href + "/";
}

/** A page client's callbacks on the package at `pkg`: its own state, and states of the same length with the first
 * or the last character changed or every letter and digit replaced, each followed in the URL by 40 bytes of text. */
export async function forgedStates(pkg) {
  const m = await import(pkg + "page-node.js");
  const redirectUri = "https://app.example/cb";
  const c = new m.OAuthClient({ clientId: "cid", redirectUri, provider: "custom", endpoints: { authorize: "https://as.example/a", token: "https://as.example/t" } });
  const s = c.startAuthorization({});
  const flip = (t, i) => t.slice(0, i) + (t[i] === "A" ? "B" : "A") + t.slice(i + 1);
  const answers = {};
  for (const [name, st] of [["own", s.state], ["first", flip(s.state, 0)], ["last", flip(s.state, s.state.length - 1)], ["all", s.state.replace(/[A-Za-z0-9]/g, "Q")]]) {
    try { c.parseCallback(`${redirectUri}?code=x&state=${encodeURIComponent(st)}&x=${"z".repeat(40)}`, s.pending); answers[name] = "accepted"; }
    catch (e) { answers[name] = e.code; }
  }
  return answers;
}
