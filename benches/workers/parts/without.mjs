// The bench's Worker without the package (workerd-cold.mjs's), as a step of workerd-parts.mjs.
export { default } from "../without-package.mjs";
