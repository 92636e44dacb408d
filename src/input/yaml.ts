/**
 * Parsing YAML that anyone may have written, within bounds: the text is measured in weighted
 * tokens first (yamlTokens: a 1 MB file can otherwise take the parser 300 MB), nesting is bounded
 * while the CST is built (yamlDepth: the composer that builds nodes recurses, and a stack overflow
 * there can abort the whole process), exactly one document is accepted, and the yaml package's
 * quadratic duplicate-key check is off (readers find duplicates with a hash map). The first
 * syntax error is reported with a count of the rest: later ones are usually its echoes.
 */
import { Composer, Lexer, LineCounter, Parser, type CST, type Document } from 'yaml';
import { excerpt } from './text.js';
import { LIMITS } from './limits.js';
import { yamlTokens } from './yaml-tokens.js';

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Why a text was not parsed: over a limit, or not YAML; `where` is `file` or `file:line`. */
export interface YamlProblem {
  kind: 'limit' | 'syntax';
  where: string;
  what: string;
}

export function parseBoundedYaml(text: string, file: string): ParsedYaml | YamlProblem {
  const tokens = LIMITS.yamlTokens;
  if (yamlTokens(text, tokens.value) > tokens.value) {
    const what = `more than ${tokens.value} ${tokens.unit}; the limit for ${tokens.what} is ${tokens.value} ${tokens.unit} (yamlTokens, docs/limits.md)`;
    return { kind: 'limit', where: file, what };
  }
  const lines = new LineCounter();
  const cst = boundedCst(text, lines);
  if (!Array.isArray(cst)) {
    const depth = LIMITS.yamlDepth;
    return {
      kind: 'limit',
      where: `${file}:${lines.linePos(cst.tooDeepAt).line}`,
      what: `nested deeper than ${depth.value} ${depth.unit} (yamlDepth in docs/limits.md); expected a few levels of mappings and lists`,
    };
  }
  let doc: Document.Parsed | undefined;
  for (const next of new Composer({ uniqueKeys: false }).compose(cst, true, text.length)) {
    if (doc) {
      const where = `${file}:${lines.linePos(next.range[0]).line}`;
      return { kind: 'syntax', where, what: 'YAML syntax: a second document starts here; expected one' };
    }
    doc = next;
  }
  const [first, ...more] = doc!.errors;
  if (first) {
    const where = `${file}:${lines.linePos(first.pos[0]).line}`;
    const rest = more.length > 0 ? ` (and ${more.length} more syntax errors after it)` : '';
    return { kind: 'syntax', where, what: `YAML syntax: ${oneLine(first.message)}${rest}` };
  }
  return { doc: doc!, lines };
}

/** The CST of `text`, or where it first nests deeper than yamlDepth (the CST parser keeps its own stack). */
function boundedCst(text: string, lines: LineCounter): CST.Token[] | { tooDeepAt: number } {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text, false)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > LIMITS.yamlDepth.value) return { tooDeepAt: parser.offset };
  }
  for (const token of parser.end()) tokens.push(token);
  return tokens;
}

/** The parser's message: its first line, controls shown, bounded (it may quote the input). */
function oneLine(message: string): string {
  const nl = message.indexOf('\n');
  return excerpt(nl < 0 ? message : message.slice(0, nl), 2 * LIMITS.excerptChars.value);
}
