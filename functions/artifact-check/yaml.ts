/**
 * The YAML parser, reached only through the dynamic import in formats.ts. yaml is CommonJS under
 * Node; a static import here gets esbuild's interop, which a dynamic import of the package itself
 * loses once the bundle is split into chunks (its namespace then holds only `default`).
 */
export { parseDocument } from "yaml";
