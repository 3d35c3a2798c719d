// The bench's Worker with the package (workerd-cold.mjs's): constructor and start.
export { default } from "../with-package.mjs";
