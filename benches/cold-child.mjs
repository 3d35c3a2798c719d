// One cold start: import the bundle (which compiles and instantiates the
// WebAssembly, for partner-oauth) and produce the first authorize URL.
const t0 = performance.now();
const flow = await import(process.argv[2]);
const ctx = flow.setup();
await flow.startFlow(ctx);
process.stdout.write(String(performance.now() - t0));
