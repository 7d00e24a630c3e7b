/**
 * web-tree-sitter's declarations name Emscripten's module type for `Parser.init`'s options and
 * `WebAssembly.Module` for `Language.loadSync`; @types/emscripten and the DOM library would bring in
 * the browser. The one option Tollgate passes is `locateFile`; these merge with fuller declarations
 * where a program has them.
 */
interface EmscriptenModule {
  locateFile(path: string, prefix: string): string;
}

declare namespace WebAssembly {
  // biome-ignore lint/suspicious/noEmptyInterface: an opaque handle, merged with the full type where one exists
  interface Module {}
}
