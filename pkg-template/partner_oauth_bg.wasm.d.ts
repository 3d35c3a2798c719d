// Types of `partner-oauth/partner_oauth_bg.wasm`, the module the entries
// instantiate. Where a `.wasm` import is a value at all (workerd, wrangler,
// esbuild's `copy` + CompiledWasm rules), it is the compiled module; bundlers
// that want its URL resolve the file, not this declaration.
declare const wasm: WebAssembly.Module;
export default wasm;
