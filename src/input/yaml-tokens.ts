/**
 * The size of a YAML text as its parser will feel it: the tokens its lexer splits it into,
 * weighted by what the parser builds for each, counted in one streaming pass before anything is
 * parsed. A 1 MB file (within yamlFileBytes) can otherwise take the yaml library 300 MB.
 */
import { Lexer } from 'yaml';
import { LIMITS } from './limits.js';

/** What a token costs the parser, in tokens: aliases and collections build the most. */
function weight(token: string): number {
  if (token.startsWith('*')) return 4;
  if (token === '{' || token === '[') return 3;
  if (token === ',') return 2;
  return 1;
}

/** The weighted tokens of `text`, counting no further than `stopAfter`. */
export function yamlTokens(text: string, stopAfter: number = LIMITS.yamlTokens.value): number {
  let n = 0;
  for (const token of new Lexer().lex(text)) {
    n += weight(token);
    if (n > stopAfter) break;
  }
  return n;
}
