import { createRequire } from "node:module";

// Some CommonJS dependencies (yauzl) call require("fs") at load time. In an ESM bundle esbuild
// routes that through a shim that looks for a global `require`; defining it here, before those
// modules load, keeps the bundle working without an esbuild banner (SAM's esbuild builder
// cannot set one). Import this module before any such dependency.
const g = globalThis as { require?: NodeJS.Require };
g.require ??= createRequire(import.meta.url);
