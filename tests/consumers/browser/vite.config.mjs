// ES2022: the package instantiates its WebAssembly with top-level await.
export default { build: { target: "es2022", outDir: "dist", emptyOutDir: true }, logLevel: "warn" };
