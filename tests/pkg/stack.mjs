// The page build's shadow stack pointer, for the tests that read it. Since the twenty-sixth session the page module
// exports no global: each export puts the pointer at its top itself (scripts/stack-reset.awk). So these tests run a
// copy of the module with one export added, `g`, of its only global (the pointer): every other byte is the shipped
// module's, its code included.

// Taken at import: `pagePointer` replaces the global one.
const { Module } = WebAssembly;
/** An unsigned LEB128 number at `at`: [value, the index after it] (merge-data.test.mjs reads sections with it too). */
export const leb = (bytes, at) => {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value += (byte & 127) * 2 ** shift;
    shift += 7;
  } while (byte & 128);
  return [value, at];
};
const toLeb = (value) => {
  const out = [];
  do {
    out.push((value & 127) | (value > 127 ? 128 : 0));
    value = Math.floor(value / 128);
  } while (value);
  return out;
};

/** The module's bytes with its only global (a mutable i32) exported as `g`; throws for any other module. */
export function withPointer(source) {
  const bytes = new Uint8Array(source.buffer ?? source, source.byteOffset ?? 0, source.byteLength);
  if (Module.exports(new Module(bytes)).some((e) => e.name === "g" || e.kind === "global")) throw new Error("withPointer: the module exports a global or a `g` already");
  const parts = [bytes.subarray(0, 8)];
  let globals = null, exported = false;
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    let body = bytes.subarray(start, start + size);
    if (id === 6) {
      const [count, first] = leb(body, 0);
      globals = count === 1 && body[first] === 0x7f && body[first + 1] === 1;
    }
    if (id === 7) {
      const [count, first] = leb(body, 0);
      body = Uint8Array.of(...toLeb(count + 1), ...body.subarray(first), 1, "g".charCodeAt(0), 3, 0);
      exported = true;
    }
    parts.push(Uint8Array.of(id, ...toLeb(body.length)), body);
    at = start + size;
  }
  if (!globals || !exported) throw new Error("withPointer: not a module with one mutable i32 global and exports");
  return Buffer.concat(parts);
}

/** Makes `new WebAssembly.Module` compile with `withPointer` until the function returned is called. */
export function exposePointer() {
  const { Module: current } = WebAssembly;
  WebAssembly.Module = new Proxy(current, { construct: (target, [bytes, ...rest], newTarget) => Reflect.construct(target, [withPointer(bytes), ...rest], newTarget) });
  return () => (WebAssembly.Module = current);
}

/** A child's code (region.mjs' `child`) that compiles each module with `withPointer`: the page module's instances
 * then export `g`, the stack pointer, which `made` (region.mjs' `instances`) catches. */
export const pagePointer = `(await import(${JSON.stringify(import.meta.url)})).exposePointer();`;

/** The page build's stack top (build-wasm.sh links it with a 4 KiB stack, scripts/stack-depth.mjs bounds its depth):
 * below 8 KiB with the static data above it, for two-byte address constants. The full build keeps the link's 1 MiB. */
export const PAGE_TOP = 4096;

/** The full build's shadow stack pointer's export name: the link's `__stack_pointer`, renamed by
 * scripts/build-wasm.sh (the name src/wasm/unwind.js reads). */
export const FULL_POINTER = "g";

/** The full build's stack pointer (a `WebAssembly.Global`) among an instance's exports. */
export const fullPointer = (exports) => exports[FULL_POINTER];

/** The package's entry `file` imported, with its wasm instance's own exports (`raw`): the page build's module compiled
 * with `g` (exposePointer), the full build's as it is (it exports its pointer). Shared by the reviews' memory scans. */
export async function loadWithExports(pkg, file) {
  const hide = file === "page-node.js" ? exposePointer() : () => {};
  const Instance = WebAssembly.Instance, made = [];
  WebAssembly.Instance = new Proxy(Instance, { construct(t, a, n) { const i = Reflect.construct(t, a, n); made.push(i.exports); return i; } });
  try {
    return { m: await import(pkg + file), raw: made[0] };
  } finally {
    WebAssembly.Instance = Instance;
    hide();
  }
}
