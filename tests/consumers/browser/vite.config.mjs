// ES2022: the package instantiates its WebAssembly with top-level await.
// Three pages: index.html on the full build, page.html on `partner-oauth/page`,
// jwt.html verifying JWTs through the page's WebCrypto.
import { fileURLToPath } from "node:url";

const page = (name) => fileURLToPath(new URL(name, import.meta.url));
export default {
  build: { target: "es2022", outDir: "dist", emptyOutDir: true, rollupOptions: { input: [page("index.html"), page("page.html"), page("jwt.html")] } },
  logLevel: "warn",
};
