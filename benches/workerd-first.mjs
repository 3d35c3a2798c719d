// One Worker's first and second requests (ms, outer wall time: Date.now() is frozen inside workerd), the Worker
// `name` in `dist` run in a fresh Miniflare behind the front Worker, which has already answered one request (so
// the connection from Node is open). Shared by workerd-cold.mjs and workerd-parts.mjs.
import { join } from "node:path";

export async function firstRequests(Miniflare, dist, name) {
  const worker = (script, extra) => ({
    name: script, modules: true, scriptPath: join(dist, `${script}.mjs`), modulesRoot: dist, compatibilityDate: "2026-04-01",
    modulesRules: [{ type: "ESModule", include: ["**/*.mjs"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }], ...extra,
  });
  const mf = new Miniflare({ workers: [worker("front", { serviceBindings: { TARGET: name } }), worker(name)] });
  try {
    await mf.ready;
    await (await mf.dispatchFetch("http://localhost/ping")).text();
    const times = [];
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      const res = await mf.dispatchFetch("http://localhost/start");
      const text = await res.text();
      times.push(performance.now() - t0);
      if (!text.startsWith("https://")) throw new Error(`${name}: ${res.status} ${text.slice(0, 200)}`);
    }
    return times;
  } finally {
    await mf.dispose();
  }
}
