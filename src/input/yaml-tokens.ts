/**
 * The size of a YAML text as its parser will feel it: the tokens its lexer splits it into,
 * weighted by what the parser builds for each, counted in one streaming pass before anything is
 * parsed. A 1 MB file (within yamlFileBytes) can otherwise take the yaml library 300 MB.
 */
import { Lexer } from 'yaml';
import { InputError } from './errors.js';
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

/** Throws TOO_LARGE (naming `where` and the limit) when `text` has more tokens than yamlTokens allows. */
export function checkYamlTokens(text: string, where: string): void {
  const max = LIMITS.yamlTokens;
  if (yamlTokens(text, max.value) > max.value) {
    throw new InputError(
      'TOO_LARGE',
      where,
      `more than ${max.value} ${max.unit}; the limit for ${max.what} is ${max.value} ${max.unit} (yamlTokens, docs/limits.md)`,
    );
  }
}
