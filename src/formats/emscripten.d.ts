/**
 * web-tree-sitter's declarations name Emscripten's module type for `Parser.init`'s options,
 * and @types/emscripten needs the DOM library. The one option Tollgate passes is `locateFile`.
 */
interface EmscriptenModule {
  locateFile(path: string, prefix: string): string;
}
