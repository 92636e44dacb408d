/**
 * Where a JSON text stops being JSON: the byte offset (UTF-16 index) of the first character the
 * grammar does not allow, for error replies that say where. JSON.parse says so only for some
 * errors; this scanner says it for all. Linear and iterative (no recursion: depth costs nothing).
 */
const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
// Control characters are exactly what a JSON string may not hold unescaped.
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;

/** The offset of the first error, or undefined when `text` is valid JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  const stack: string[] = [];
  let i = 0;
  // 'value' | 'key' | 'colon' | 'after' (after a value: comma, close or end)
  let want: 'value' | 'key' | 'colon' | 'after' | 'value-or-close' | 'key-or-close' = 'value';
  const match = (re: RegExp) => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  for (;;) {
    while (i < text.length && WS.has(text[i]!)) i++;
    if (i >= text.length) return want === 'after' && stack.length === 0 ? undefined : i;
    const c = text[i]!;
    if (want === 'after') {
      if (stack.length === 0) return i;
      const top = stack[stack.length - 1];
      if (c === ',') {
        i++;
        want = top === '{' ? 'key' : 'value';
      } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        i++;
        stack.pop();
      } else return i;
      continue;
    }
    if (want === 'colon') {
      if (c !== ':') return i;
      i++;
      want = 'value';
      continue;
    }
    if (want === 'key' || want === 'key-or-close') {
      if (c === '}' && want === 'key-or-close') {
        i++;
        stack.pop();
        want = 'after';
      } else if (c === '"' && match(STRING)) want = 'colon';
      else return i;
      continue;
    }
    if (c === ']' && want === 'value-or-close') {
      i++;
      stack.pop();
      want = 'after';
    } else if (c === '{') {
      i++;
      stack.push('{');
      want = 'key-or-close';
    } else if (c === '[') {
      i++;
      stack.push('[');
      want = 'value-or-close';
    } else if ((c === '"' && match(STRING)) || match(NUMBER) || match(LITERAL)) want = 'after';
    else return i;
  }
}
