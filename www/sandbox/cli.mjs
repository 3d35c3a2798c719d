#!/usr/bin/env node
// partner-oauth-sandbox: the five providers' emulator for your own tests.
//
//   npx partner-oauth-sandbox [--port 8788] [--redirect-uri URI]… [--auto-consent approve|deny] [--log]
//
// Prints, as JSON ready to paste, each provider's client options (client
// credentials, the endpoints that point a client at this sandbox, `preset`
// where one is needed) and the public clients; runs until interrupted.
// With --log, one line per request answered goes to stderr.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { startSandbox, sandboxClients, DEFAULT_REDIRECT_URI } from "./server.mjs";

const HELP = `usage: partner-oauth-sandbox [--port N] [--redirect-uri URI]... [--auto-consent approve|deny] [--log]
  --port N               listen on 127.0.0.1:N (default 8788; 0 picks a free port)
  --redirect-uri URI     register URI for every client (repeat for more)
  --auto-consent D       answer every authorize request with D instead of a consent page
  --log                  print each request answered to stderr: method, path, status, error (no query, no secret)`;

const args = process.argv.slice(2);
const options = { port: 8788, redirectUris: [], autoConsent: null, log: null };
for (let i = 0; i < args.length; i++) {
  const [flag, value] = [args[i], args[i + 1]];
  if (flag === "--help" || flag === "-h") {
    console.log(HELP);
    process.exit(0);
  } else if (flag === "--log") {
    options.log = (line) => console.error(`${new Date().toISOString()} ${line}`);
    continue;
  } else if (flag === "--port" && /^\d+$/.test(value ?? "")) {
    options.port = Number(value);
  } else if (flag === "--redirect-uri" && value) {
    options.redirectUris.push(value);
  } else if (flag === "--auto-consent" && (value === "approve" || value === "deny")) {
    options.autoConsent = value;
  } else {
    console.error(`partner-oauth-sandbox: unexpected ${flag}${value !== undefined ? ` ${value}` : ""}; expected one of --port N, --redirect-uri URI, --auto-consent approve|deny, --log\n${HELP}`);
    process.exit(2);
  }
  i++;
}

let sandbox;
try {
  sandbox = await startSandbox(options);
} catch (error) {
  if (error?.code !== "EADDRINUSE") throw error;
  console.error(`partner-oauth-sandbox: port ${options.port} is in use on 127.0.0.1 (a sandbox still running?); pick another with --port N (0: any free one)`);
  process.exit(1);
}
const config = sandbox.config();
const publicClients = Object.fromEntries(Object.keys(config).flatMap((name) => {
  const client = sandboxClients(name).public;
  return client ? [[name, client.clientId]] : [];
}));
const redirectUris = [...new Set([DEFAULT_REDIRECT_URI, ...options.redirectUris])];
console.log(JSON.stringify({ sandbox: sandbox.url, redirectUris, providers: config, publicClients }, null, 2));
const stop = async () => { await sandbox.close(); process.exit(0); };
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
// Under npx (npm → `sh -c` → this), stop when npm or the shell between is gone: npm killed outright (SIGKILL, a tool's
// timeout) forwards no signal, and the shell outlives it, so this would hold the port (newcomer 63, cold try 69).
// Started any other way (nohup, &), it runs until stopped.
if (process.env.npm_command === "exec") {
  const chain = npmChain();
  if (chain.length) setInterval(() => chain.some((pid) => !alive(pid)) && stop(), 500).unref();
}

/** The parent, its parent…, up to the npm process (at most three): [] when no npm is found. */
function npmChain() {
  const chain = [];
  for (let pid = process.ppid; pid > 1 && chain.length < 3; ) {
    const info = processInfo(pid);
    if (!info) return [];
    chain.push(pid);
    if (/(^|[/\\\s])np[mx](-cli\.js)?(\s|$)/.test(info.command)) return chain;
    pid = info.ppid;
  }
  return [];
}

/** `{ ppid, command }` of a process: from /proc (Linux), else ps (macOS); null when neither tells. */
function processInfo(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    return { ppid: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]), command };
  } catch {}
  try {
    const [ppid, ...command] = execFileSync("ps", ["-o", "ppid=,command=", "-p", String(pid)], { encoding: "utf8" }).trim().split(/\s+/);
    return { ppid: Number(ppid), command: command.join(" ") };
  } catch {
    return null;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
