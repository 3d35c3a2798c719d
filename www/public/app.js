// The demo page: shows connections (facts about tokens, never the tokens)
// and the typed errors the library returns.
const $ = (selector) => document.querySelector(selector);
/** A provider's display name: its card's heading on this page. */
const title = (provider) => document.querySelector(`.providers [data-provider="${CSS.escape(provider)}"] h2`)?.textContent ?? provider;
const params = new URLSearchParams(location.search);

if (params.has("error")) {
  const box = $("#error");
  box.hidden = false;
  box.innerHTML = `<b class="code"></b> <span class="message"></span>`;
  box.querySelector(".code").textContent = params.get("error");
  box.querySelector(".message").textContent = params.get("message");
}
if (params.has("error") || params.has("connected")) history.replaceState(null, "", "/");

for (const radio of document.querySelectorAll('input[name="factorial-kind"]')) {
  radio.onchange = () => { $("#connect-factorial").href = `/connect/factorial?kind=${radio.value}`; };
}
$("#connect-billit").onclick = (event) => {
  event.preventDefault();
  location.assign(`/connect/billit?${new URLSearchParams({ id: $("#billit-id").value })}`);
};

async function render() {
  const connections = await (await fetch("/api/connections")).json();
  const list = $("#connections");
  list.replaceChildren(...connections.map(card));
  if (!connections.length) list.innerHTML = `<p class="empty">None yet: press a Connect button.</p>`;
}

function card(c) {
  const el = document.createElement("article");
  el.className = "card";
  el.dataset.provider = c.provider;
  el.dataset.id = c.id;
  const rows = [
    ["Token type", c.tokenType],
    ["Scopes", c.scopes.length ? c.scopes.join(" ") : "—"],
    ["Expires", c.neverExpires ? "never expires" : c.expiresAt ? "" : "unknown"],
    ["Refresh token", c.hasRefreshToken ? `yes (${c.refreshToken})` : "no"],
    ["Access token", c.accessToken],
    ...(c.companyId ? [["company_id", c.companyId]] : []),
    ...(c.label && !c.companyId ? [["Identifier", c.label]] : []),
  ];
  el.innerHTML = `<h3></h3><dl></dl><div class="actions"></div><pre class="introspection" hidden></pre>`;
  el.querySelector("h3").textContent = title(c.provider);
  for (const [name, value] of rows) {
    const dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = name;
    dd.textContent = value;
    dd.dataset.field = name;
    el.querySelector("dl").append(dt, dd);
  }
  if (c.expiresAt && !c.neverExpires) {
    const dd = el.querySelector('[data-field="Expires"]');
    const tick = () => {
      const left = Math.max(0, Math.round((c.expiresAt - Date.now()) / 1000));
      dd.textContent = left ? `in ${Math.floor(left / 60)} min ${left % 60} s` : "expired";
    };
    tick();
    setInterval(tick, 1000);
  }
  const actions = el.querySelector(".actions");
  const button = (label, action) => {
    const b = document.createElement("button");
    b.textContent = label;
    b.className = action;
    b.onclick = () => act(c.id, action, el);
    actions.append(b);
  };
  if (c.hasRefreshToken) button("Refresh", "refresh");
  if (c.provider === "payfit") button("Introspect", "introspect");
  button("Disconnect", "disconnect");
  return el;
}

async function act(id, action, el) {
  const response = await fetch(`/api/connections/${encodeURIComponent(id)}/${action}`, { method: "POST" });
  const body = await response.json();
  if (!response.ok) return location.assign(`/?${new URLSearchParams({ error: body.code, message: body.message })}`);
  if (action === "introspect") {
    const pre = el.querySelector(".introspection");
    pre.hidden = false;
    pre.textContent = JSON.stringify(body, null, 2);
    return;
  }
  render();
}

render();
