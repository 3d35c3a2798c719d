// The npm tarball's README: the repository's README.md as a registry user
// reads it, without what only a clone has (regions between
// `<!-- repo-only -->` and `<!-- /repo-only -->`: building from source, the
// demo, the benches, contributing) and without the generators' markers.
// Every relative link left must resolve inside the tarball, which ships the
// files it links to (SECURITY.md, PROVIDERS.md): check-tarball.sh checks it.
//   node scripts/package-readme.mjs OUT_DIR   # writes OUT_DIR/README.md, SECURITY.md, PROVIDERS.md
import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** README.md's text → the package's. */
export function packageReadme(text) {
  const out = text
    .replace(/<!-- repo-only[^>]*-->[\s\S]*?<!-- \/repo-only -->\n?/g, "")
    .replace(/^<!--.*?-->\n/gm, "") // a marker on its own line
    .replace(/<!--.*?-->/g, "") // an inline one: the figure stays
    .replace(/\n{3,}/g, "\n\n");
  if (/repo-only/.test(out)) throw new Error("README.md: an unclosed repo-only region");
  return out;
}

/** The relative links and images of a Markdown text (no scheme, no bare anchor). */
export function relativeLinks(text) {
  const links = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#")) continue;
    links.push(target.split("#")[0]);
  }
  for (const [, target] of text.matchAll(/<img[^>]+src="([^"]+)"/g)) {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push(target);
  }
  return links;
}

/** The files the package README links to, shipped beside it. */
export const LINKED = ["SECURITY.md", "PROVIDERS.md"];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: node scripts/package-readme.mjs OUT_DIR");
    process.exit(2);
  }
  writeFileSync(join(out, "README.md"), packageReadme(readFileSync(join(root, "README.md"), "utf8")));
  for (const file of LINKED) copyFileSync(join(root, file), join(out, file));
}
