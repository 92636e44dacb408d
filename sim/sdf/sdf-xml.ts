/**
 * An SDFormat file as a small element tree with line numbers, parsed by fast-xml-parser: its
 * validator finds malformed XML (with line and column), and its parser's metadata gives each
 * element's offset, from which we keep the line for errors. Entities are not expanded (SDF needs
 * none, and expanding them lets a few bytes stand for any amount of text).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { excerpt } from '../../src/input/index.js';
import { SdfImportError } from './import-errors.js';

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text, trimmed (SDF values are text of leaf elements). */
  readonly text: string;
  /** 1-based line of the element's start tag. */
  readonly line: number;
}

/** SDF nests about 10 deep; far deeper is not SDF, and the parser recurses per level. */
const MAX_NESTED_TAGS = 100;

/** Parses `text` (read from `file`) and returns its root element; throws NOT_XML with file:line:col. */
export function parseXml(text: string, file: string): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    throw new SdfImportError(
      'NOT_XML',
      `${file}:${line}:${col}`,
      `not well-formed XML: ${excerpt(msg, 200)}`,
    );
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    captureMetaData: true,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: false,
    maxNestedTags: MAX_NESTED_TAGS,
  });
  let nodes: unknown[];
  try {
    nodes = parser.parse(text) as unknown[];
  } catch (e) {
    throw new SdfImportError('NOT_XML', file, `cannot be parsed as XML: ${excerpt(String(e), 200)}`);
  }
  const lines = lineStarts(text);
  const roots = nodes.map((n) => toElement(n, lines)).filter((e): e is XmlElement => e !== undefined);
  const root = roots.find((e) => !e.name.startsWith('?'));
  if (!root) throw new SdfImportError('NOT_XML', file, 'no XML element found');
  return root;
}

/** Children of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The first child named `name`, if any. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

type PreservedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const META = XMLParser.getMetaDataSymbol() as unknown as string;

function toElement(node: unknown, lines: readonly number[]): XmlElement | undefined {
  const n = node as PreservedNode;
  const name = Object.keys(n).find((k) => k !== ':@');
  if (name === undefined || name === '#text' || name === '#comment' || name === '#cdata') return undefined;
  const body = (n[name] ?? []) as unknown[];
  const children: XmlElement[] = [];
  let text = '';
  for (const item of body) {
    const leaf = item as Record<string, unknown>;
    if ('#text' in leaf) text += String(leaf['#text']);
    else {
      const element = toElement(item, lines);
      if (element) children.push(element);
    }
  }
  const meta = (n as Record<string, unknown>)[META] as { startIndex?: number } | undefined;
  return {
    name,
    attrs: n[':@'] ?? {},
    children,
    text: text.trim(),
    line: lineOf(lines, meta?.startIndex ?? 0),
  };
}

/** Offsets at which each line starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
