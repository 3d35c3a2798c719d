// Each figure in the docs is generated from its one source
// (scripts/figures.mjs): this fails when one drifts. Fix with
// `node scripts/figures.mjs --update` (after a size change:
// `bash scripts/check-tarball.sh --update`, which runs it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { drifted, figures, lifecycleDefaults, regenerate, shippedSizes } from "../../scripts/figures.mjs";
import { LIFECYCLE_DEFAULTS } from "../../pkg-template/lifecycle.js";
import { LINKED, packageReadme, relativeLinks } from "../../scripts/package-readme.mjs";

const read = (file) => readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");

test("every generated figure matches its source", () => {
  const changed = drifted();
  assert.deepEqual(changed.map((c) => c.file), [], "run: node scripts/figures.mjs --update");
});

test("a drifted figure is caught: an edited size, an edited default", () => {
  const readme = read("README.md");
  const edited = readme.replace(/(<!-- figure:page-size -->)[^<]*/, "$141.0 KB");
  assert.notEqual(regenerate("README.md", edited), edited);
  const table = readme.replace(/\| `backoffCap` \| \d+ \|/, "| `backoffCap` | 7200 |");
  assert.notEqual(table, readme, "the README has the backoffCap row");
  assert.notEqual(regenerate("README.md", table), table);
});

test("the lifecycle table has every default, with the value lifecycle.js exports", () => {
  const parsed = lifecycleDefaults();
  assert.deepEqual(parsed.map((d) => d.name), Object.keys(LIFECYCLE_DEFAULTS));
  for (const { name, value, meaning } of parsed) {
    assert.equal(Number(value), LIFECYCLE_DEFAULTS[name], name);
    assert.ok(meaning.length > 10, `${name} has a doc comment`);
  }
});

test("sizes come from tests/tarball/sizes.txt: wasm + glue, per build", () => {
  const sizes = shippedSizes("partner_oauth_bg.wasm 1000\npage/partner_oauth_bg.wasm 500\npartner_oauth.js 24\npage/partner_oauth.js 12\n");
  assert.deepEqual(sizes, { full: 1024, page: 512 });
  const [, , page] = figures().find(([, name]) => name === "page-size");
  assert.match(page, /^\d+\.\d KB$/);
});

test("no figure the generator owns is also written by hand elsewhere", () => {
  // The shipped sizes, once: in the README's table. page.js names none.
  const [, , page] = figures().find(([, name]) => name === "page-size");
  const [, , full] = figures().find(([, name]) => name === "full-size");
  for (const file of ["pkg-template/page.js", "pkg-template/page.d.ts", "CONTRIBUTING.md"]) {
    const text = read(file);
    assert.ok(!text.includes(page) && !text.includes(full), `${file} repeats a size`);
    assert.doesNotMatch(text, /\b\d+ KB (of wasm )?gzip/, `${file} states a size by hand`);
  }
  // The test command's duration: stated in CONTRIBUTING.md's table only.
  assert.doesNotMatch(read("README.md"), /about \d+ minutes with the tools/);
});

test("the tarball's README is the user-facing README, linking only to files shipped beside it", () => {
  const readme = packageReadme(read("README.md"));
  assert.ok(readme.length > 10_000, "not a stub");
  assert.ok(!readme.includes("<!--"), "no generator markers");
  assert.ok(readme.includes("## Errors") && readme.includes("## Providers"));
  for (const link of relativeLinks(readme)) assert.ok(LINKED.includes(link), `links to ${link}, which the package does not ship`);
  const pkg = JSON.parse(read("pkg-template/package.json"));
  for (const file of LINKED) assert.ok(pkg.files.includes(file), `package.json files lists ${file}`);
  assert.ok(pkg.license && pkg.keywords.length > 0);
  // No invented address: none until the project has a public one.
  for (const key of ["repository", "homepage", "bugs"]) assert.equal(pkg[key], undefined, key);
});
