// The docs' figures, each generated from its one source: the shipped sizes
// from tests/tarball/sizes.txt (written by check-tarball.sh --update), the
// bench figures from the last run in benches/results.json, the Worker's
// lifecycle defaults from pkg-template/lifecycle-timing.js. A figure sits between
// `<!-- figure:NAME -->` and `<!-- /figure -->` (inline) or in a block
// between `<!-- figures:NAME … -->` and `<!-- /figures -->`.
//   node scripts/figures.mjs            # fails on any drift
//   node scripts/figures.mjs --update   # rewrites them (check-tarball.sh --update runs it)
// tests/node/figures.test.mjs runs the check in the test command.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const read = (file) => readFileSync(join(root, file), "utf8");

/** Bytes → "39.8 KB" (KB = 1024 bytes, as the bench reports). */
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ratio = (value) => `${value.toFixed(value >= 10 ? 1 : 2)}×`;
const ms = (value) => `${value.toFixed(1)} ms`;

/** tests/tarball/sizes.txt: each shipped module's gzip -9 bytes when last measured. */
export function shippedSizes(text = read("tests/tarball/sizes.txt")) {
  const sizes = Object.fromEntries(
    text.trim().split("\n").map((line) => {
      const [file, bytes] = line.trim().split(/\s+/);
      return [file, Number(bytes)];
    }),
  );
  for (const file of ["partner_oauth_bg.wasm", "partner_oauth.js", "page/partner_oauth_bg.wasm", "page/partner_oauth.js"]) {
    if (!Number.isInteger(sizes[file])) throw new Error(`tests/tarball/sizes.txt has no size for ${file}`);
  }
  return {
    full: sizes["partner_oauth_bg.wasm"] + sizes["partner_oauth.js"],
    page: sizes["page/partner_oauth_bg.wasm"] + sizes["page/partner_oauth.js"],
  };
}

/** LIFECYCLE_DEFAULTS with each one's doc comment, read from lifecycle-timing.js's source. */
export function lifecycleDefaults(source = read("pkg-template/lifecycle-timing.js")) {
  const start = source.indexOf("export const LIFECYCLE_DEFAULTS = /* @__PURE__ */ Object.freeze({");
  const end = source.indexOf("});", start);
  if (start < 0 || end < 0) throw new Error("lifecycle-timing.js: no LIFECYCLE_DEFAULTS");
  const body = source.slice(start, end);
  const rows = [];
  for (const match of body.matchAll(/\/\*\*\s*([\s\S]*?)\s*\*\/\s*(\w+):\s*([^,\n]+),/g)) {
    rows.push({ name: match[2], value: match[3].trim(), meaning: match[1].replace(/\s*\n\s*\*?\s*/g, " ").trim() });
  }
  return rows;
}

function lifecycleTable(defaults) {
  const lines = ["| `lifecycle` option | default | meaning |", "|---|---|---|"];
  for (const { name, value, meaning } of defaults) {
    lines.push(`| \`${name}\` | ${value} | ${meaning.replace(/\|/g, "\\|")} |`);
  }
  return lines.join("\n") + "\n";
}

/** The last run in benches/results.json that has the targets. */
export function lastBench(runs = JSON.parse(read("benches/results.json"))) {
  const run = [...runs].reverse().find((r) => Array.isArray(r.targets));
  if (!run) throw new Error("benches/results.json: no run with targets");
  return run;
}

function benchSentence(run) {
  const ours = run.libs["partner-oauth"];
  const others = Object.entries(run.libs).filter(([name]) => name !== "partner-oauth");
  const theirSizes = others.map(([, lib]) => lib.size.gzip);
  const r = run.ratios;
  const range = (values) => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return lo.toFixed(2) === hi.toFixed(2) ? ratio(lo) : `${lo.toFixed(2)}–${ratio(hi)}`;
  };
  const met = run.targets.filter((t) => t.pass).length;
  const when = run.date.slice(0, 16).replace("T", " ");
  return [
    `In the last run (${when} UTC, \`benches/results.json\`): ${kb(ours.size.gzip)} gzip for the full`,
    `code + PKCE + refresh flow as esbuild bundles it (wasm + JS, JWT verification included, ${kb(run.jwtShare.bytes)} of`,
    `it; the JS libraries ship ${kb(Math.min(...theirSizes)).replace(" KB", "")}–${kb(Math.max(...theirSizes))}), ${kb(ours.pageSize.gzip)} for a page that only`,
    `starts flows and parses callbacks (\`partner-oauth/page\`); starting a flow`,
    `${ratio(r.oauth4webapi.startFlow)} oauth4webapi's speed and ${ratio(r.arctic.startFlow)} arctic's, token parsing`,
    `${range([r.oauth4webapi.parseBillit, r.oauth4webapi.parsePayfit])} oauth4webapi, building a refresh request ${ratio(r.oauth4webapi.refreshRequest)};`,
    `the callback check ${ratio(r.oauth4webapi.checkCallback)} oauth4webapi and a whole refresh through a stub`,
    `\`fetch\` ${range(others.map(([name]) => r[name].refreshExchange))} the JS libraries. Bytes in hand to the first URL:`,
    `${ms(run.chromiumColdStartMs.full)} in Chromium (page build ${ms(run.chromiumColdStartMs.page)}), ${ms(run.wasmColdStartMs)} in Node (page`,
    `build ${ms(run.pageWasmColdStartMs)}; it varies with the machine's load);`,
    `a Worker's first request takes ${ratio(run.workerdFirstRequest.ratio)} as long as the same Worker without the`,
    `package. ${met} of the ${run.targets.length} targets are met.`,
  ].join(" ");
}

/** Prose wrapped below 76 columns, as the README's paragraphs are. */
function wrap(text) {
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > 75) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return lines.concat(line).join("\n") + "\n";
}

function benchTargets(run) {
  const when = run.date.slice(0, 16).replace("T", " ");
  const lines = [`The run of ${when} UTC:`, "", "| target | measured | wanted | result |", "|---|---|---|---|"];
  for (const t of run.targets) {
    const unit = / (KB|ms)$/.exec(t.target)?.[1];
    const measured = unit ? `${t.value.toFixed(1)} ${unit}` : ratio(t.value);
    const wanted = t.target.replace("<=", "≤").replace(">=", "≥").replace(/ x$/, "×");
    lines.push(`| ${t.name} | ${measured} | ${wanted} | ${t.pass ? "**met**" : "not met"} |`);
  }
  return lines.join("\n") + "\n";
}

/** Every generated figure: [file, name, text, inline]. */
export function figures() {
  const sizes = shippedSizes();
  const run = lastBench();
  return [
    ["README.md", "page-size", kb(sizes.page), true],
    ["README.md", "full-size", kb(sizes.full), true],
    ["README.md", "lifecycle-defaults", lifecycleTable(lifecycleDefaults()), false],
    ["README.md", "bench", wrap(benchSentence(run)), false],
    ["benches/README.md", "bench-targets", benchTargets(run), false],
  ];
}

/** The text of `file` with every figure in it regenerated; throws on a missing marker. */
export function regenerate(file, text, all = figures()) {
  let out = text;
  for (const [where, name, value, inline] of all) {
    if (where !== file) continue;
    const pattern = inline
      ? new RegExp(`(<!-- figure:${name} -->)[\\s\\S]*?(<!-- /figure -->)`, "g")
      : new RegExp(`(<!-- figures:${name} [^\\n]*-->\\n)[\\s\\S]*?(<!-- /figures -->)`, "g");
    if (!pattern.test(out)) throw new Error(`${file}: no marker for the figure ${name}`);
    out = out.replace(pattern, (_, open, close) => open + value + close);
  }
  return out;
}

/** Files whose figures differ from their sources, with the regenerated text. */
export function drifted() {
  const files = [...new Set(figures().map(([file]) => file))];
  return files
    .map((file) => ({ file, text: read(file) }))
    .map(({ file, text }) => ({ file, text, want: regenerate(file, text) }))
    .filter(({ text, want }) => text !== want);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const changed = drifted();
  if (process.argv.includes("--update")) {
    for (const { file, want } of changed) writeFileSync(join(root, file), want);
    console.log(changed.length ? `figures rewritten in ${changed.map((c) => c.file).join(", ")}` : "figures up to date");
  } else if (changed.length) {
    console.error(`figures drifted in ${changed.map((c) => c.file).join(", ")}: node scripts/figures.mjs --update`);
    process.exit(1);
  } else {
    console.log("figures up to date");
  }
}
