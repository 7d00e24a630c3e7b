import {
  Composer,
  CST,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  Parser,
  type SchemaOptions,
} from "yaml";

/**
 * `yaml`'s `parseAllDocuments` without its per-token debug switch.
 *
 * The library's `Parser.next` reads `process.env.LOG_TOKENS` for every lexical
 * token (to print tokens while debugging the library). `process.env` is not a
 * plain object: each read is a call into Node's C++ environment lookup,
 * ~270 ns on the development machine, and a 6 kB pipeline has ~1,400 tokens —
 * 19 ms of the ~215 ms that parsing 50 GitLab pipelines takes. `QuietParser`
 * is the library's parser with `parse` reading each lexeme as `next` does,
 * minus that switch (and minus one generator per lexeme: `parse` delegated
 * to `next`). Everything else — the lexer, the parser's steps, the composer,
 * the nodes, ranges and errors — is the library's own, which
 * test/formats/yaml-parser.test.ts and test/property/yaml-parser.property.test.ts
 * hold equal to `parseAllDocuments` (tokens, documents, ranges, errors).
 *
 * Written against yaml 2.9 (`Parser.prototype.next`); the tests fail if a
 * later version parses differently.
 */

/** The parser's own state that `next` reads and writes (private in the library's typings). */
interface ParserState {
  source: string;
  type: CST.TokenType | "";
  offset: number;
  indent: number;
  atNewLine: boolean;
  atScalar: boolean;
  onNewLine?: (offset: number) => void;
  lexer: { lex(source: string, incomplete?: boolean): Generator<string> };
  step(): Generator<CST.Token, void>;
  pop(error?: CST.Token): Generator<CST.Token, void>;
  end(): Generator<CST.Token, void>;
}

export class QuietParser extends Parser {
  /** `Parser.parse` with the body of `Parser.next` inlined, without the `LOG_TOKENS` switch. */
  override *parse(source: string, incomplete = false): Generator<CST.Token, void> {
    const self = this as unknown as ParserState;
    if (self.onNewLine && self.offset === 0) self.onNewLine(0);
    for (const lexeme of self.lexer.lex(source, incomplete)) {
      self.source = lexeme;
      if (self.atScalar) {
        self.atScalar = false;
        yield* self.step();
        self.offset += lexeme.length;
        continue;
      }
      const type = CST.tokenType(lexeme);
      if (!type) {
        const message = `Not a YAML token: ${lexeme}`;
        yield* self.pop({ type: "error", offset: self.offset, message, source: lexeme });
        self.offset += lexeme.length;
      } else if (type === "scalar") {
        self.atNewLine = false;
        self.atScalar = true;
        self.type = "scalar";
      } else {
        self.type = type;
        yield* self.step();
        switch (type) {
          case "newline":
            self.atNewLine = true;
            self.indent = 0;
            if (self.onNewLine) self.onNewLine(self.offset + lexeme.length);
            break;
          case "space":
            if (self.atNewLine && lexeme[0] === " ") self.indent += lexeme.length;
            break;
          case "explicit-key-ind":
          case "map-value-ind":
          case "seq-item-ind":
            if (self.atNewLine) self.indent += lexeme.length;
            break;
          case "doc-mode":
          case "flow-error-end":
            continue;
          default:
            self.atNewLine = false;
        }
        self.offset += lexeme.length;
      }
    }
    if (!incomplete) yield* self.end();
  }
}

export type QuietParseOptions = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * Every document of a YAML stream, as `parseAllDocuments(source, options)` with
 * `prettyErrors: false` returns them (an empty array for an empty stream).
 */
export function parseAllDocumentsQuietly(source: string, options: QuietParseOptions): Document.Parsed[] {
  const parser = new QuietParser(options.lineCounter?.addNewLine);
  const composer = new Composer(options);
  return Array.from(composer.compose(parser.parse(source))) as Document.Parsed[];
}
