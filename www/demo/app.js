// The demo page: a card per provider with its connection's status (polled
// each second; never a token), an API call through the connection, the
// sandbox's fault switches, and the event log the Queue consumer keeps.
const $ = (selector, root = document) => root.querySelector(selector);

/** What each card offers: the API path its call uses (Payout: no sandbox API). */
const PROVIDERS = {
  payfit: { title: "PayFit", api: (s) => `/companies/${s.companyId}`, faults: ["uninstall", "unavailable", "slow"] },
  payout: { title: "Payout", api: null, faults: ["short", "refuse", "unavailable", "limited", "slow"] },
  factorial: { title: "Factorial", api: () => "/api/v1/employees", kinds: ["company", "user"], faults: ["expire", "short", "refuse", "unavailable", "limited", "slow"] },
  tropipay: { title: "TropiPay", api: () => "/api/v2/users/profile", faults: ["expire", "short", "refuse", "unavailable", "limited", "slow"] },
  billit: { title: "Billit", api: () => "/v1/orders", faults: ["expire", "short", "refuse", "unavailable", "limited", "slow"] },
};
const FAULTS = {
  expire: "expire now", short: "short tokens (15 s)", refuse: "refuse the refresh", unavailable: "503 + Retry-After",
  limited: "429 + Retry-After", slow: "slow answers (3 s)", uninstall: "uninstall the app", reset: "clear switches",
};

const params = new URLSearchParams(location.search);
if (params.has("error")) {
  const box = $("#error");
  box.hidden = false;
  box.innerHTML = `<b class="code"></b> <span class="message"></span>`;
  $(".code", box).textContent = params.get("error");
  $(".message", box).textContent = params.get("message");
  history.replaceState(null, "", "/");
}

const status = {};
const seconds = (at) => Math.max(0, Math.round((at - Date.now()) / 1000));
const span = (s) => (s >= 86400 ? `${Math.floor(s / 86400)} d` : s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`);

function button(text, className, onclick) {
  const b = document.createElement("button");
  b.textContent = text;
  b.className = className;
  b.onclick = onclick;
  return b;
}

/** A form that POSTs (connect and disconnect take a same-origin POST only). */
function postForm(action, text, className) {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  form.append(button(text, className));
  return form;
}

async function call(provider, card) {
  const path = PROVIDERS[provider].api(status[provider]);
  const response = await fetch(`/connections/${provider}/api${path}`);
  $(".api", card).hidden = false;
  $(".api", card).textContent = `GET ${path} → ${response.status}\n${await response.text()}`;
}

async function fault(provider, name) {
  await fetch(`/demo/fault/${provider}/${name}`, { method: "POST" });
}

function card(provider, { real }) {
  const spec = PROVIDERS[provider] ?? { title: provider, api: null, faults: [] };
  const el = document.createElement("article");
  el.className = "card";
  el.dataset.provider = provider;
  el.innerHTML = `<h3><span></span><span class="state"></span></h3><dl></dl><div class="actions"></div><pre class="api" hidden></pre><div class="faults"></div>`;
  $("h3 span", el).textContent = spec.title + (real ? " (real)" : "");
  const actions = $(".actions", el);
  for (const kind of spec.kinds ?? [null]) {
    const query = kind ? `?kind=${kind}` : "";
    const form = postForm(`/connections/${provider}/connect${query}`, kind ? `Connect (${kind})` : "Connect", "connect");
    if (kind) form.dataset.kind = kind;
    actions.append(form);
  }
  if (spec.api) actions.append(button("Call the API", "call", () => call(provider, el)));
  const disconnect = button("Disconnect", "disconnect secondary", async () => {
    await fetch(`/connections/${provider}/disconnect`, { method: "POST" });
    refresh();
  });
  actions.append(disconnect);
  if (!real) {
    $(".faults", el).append("Sandbox: ");
    for (const name of [...spec.faults, "reset"]) $(".faults", el).append(button(FAULTS[name], `fault-${name}`, () => fault(provider, name)));
  }
  return el;
}

function render(provider) {
  const el = $(`.card[data-provider="${provider}"]`);
  const s = status[provider];
  const state = s?.state ?? "not connected";
  $(".state", el).textContent = state;
  $(".state", el).className = `state ${state}`;
  el.dataset.state = state;
  const rows = !s ? [] : [
    ["Next refresh", s.nextRefreshAt ? `in ${span(seconds(s.nextRefreshAt))}` : "none"],
    ["Token", !["active", "refreshing", "backoff"].includes(s.state) ? "—" : s.neverExpires ? "never expires" : s.expiresAt ? `expires in ${span(seconds(s.expiresAt))}` : "—"],
    ["Refresh token", s.refreshTokenExpiresAt ? `expires in ${span(seconds(s.refreshTokenExpiresAt))}` : s.state === "active" && !s.neverExpires ? "no known lifetime" : "—"],
    ["Key id", s.keyId ?? "—"],
    ["Scopes", s.scopes.join(" ") || "—"],
    ...(s.companyId ? [["Company", s.companyId]] : []),
    ["Failures", String(s.failures)],
    ["Last error", s.lastError ? s.lastError.code : "—"],
    ...(s.cause ? [["Cause", s.cause]] : []),
  ];
  const dl = $("dl", el);
  dl.replaceChildren(...rows.flatMap(([name, value]) => {
    const dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = name;
    dd.textContent = value;
    dd.dataset.field = name;
    return [dt, dd];
  }));
  const live = s && s.state !== "disconnected";
  $(".call", el)?.toggleAttribute("disabled", !live || s.state === "exhausted");
  $(".disconnect", el).toggleAttribute("disabled", !live);
}

async function refresh() {
  Object.assign(status, await (await fetch("/demo/status")).json());
  for (const provider of Object.keys(status)) render(provider);
}

async function events() {
  const list = await (await fetch("/demo/events")).json();
  $("#events").replaceChildren(...list.reverse().map((e) => {
    const li = document.createElement("li");
    li.dataset.type = e.type;
    li.dataset.provider = e.provider;
    li.textContent = `${e.at.slice(11, 19)} ${e.provider} ${e.type} → ${e.state}${e.cause ? ` (${e.cause})` : ""}${e.code ? ` ${e.code}` : ""}`;
    return li;
  }));
}

const offered = await (await fetch("/demo/providers")).json();
$("#cards").replaceChildren(...offered.map(({ provider, real }) => card(provider, { real })));
const tick = () => Promise.all([refresh(), events()]);
await tick();
document.body.dataset.ready = "1";
setInterval(tick, 1000);
