/**
 * The full definition text of a type in the `ros2msg` encoding, byte for byte as rosbag2's
 * LocalMessageDefinitionSource::get_full_text (MCAP storage plugin) and foxglove_bridge's
 * MessageDefinitionCache write it: the type's own file text first; then, depth first, each
 * dependency not yet written, in the sorted order of a std::set of the names found in the text,
 * each after a newline, a line of 80 '=' and a line 'MSG: <name as found>'. Dependencies are found
 * as those tools find them, with the same regular expression over the raw text (comments
 * included), so a quirk of theirs is a quirk here too.
 */
import { SchemaError } from './errors.js';

export const DELIMITER = '='.repeat(80);

/** rosbag2's MSG_FIELD_TYPE_REGEX: the type token at the start of each line. */
const FIELD_TYPE = /(?:^|\n)\s*([a-zA-Z0-9_/]+)(?:\[[^\]]*\])?\s+/g;
const PRIMITIVES = new Set([
  'bool',
  'byte',
  'char',
  'float32',
  'float64',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'string',
]);
/** rosbag2's ROSBAG2_CPP_LOCAL_MESSAGE_DEFINITION_SOURCE_MAX_RECURSION_DEPTH. */
const MAX_DEPTH = 50;

/** The dependency names a definition text refers to, as rosbag2 finds them, sorted. */
export function textDependencies(text: string, pkg: string): string[] {
  const deps = new Set<string>();
  for (const m of text.matchAll(FIELD_TYPE)) {
    const type = m[1]!;
    if (PRIMITIVES.has(type)) continue;
    deps.add(type.includes('/') ? type : `${pkg}/${type}`);
  }
  // std::set<std::string> orders by bytes; names are ASCII, so code-unit order is the same.
  return [...deps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A definition's text and package, by the name a dependency line uses ('pkg/Type' or 'pkg/msg/Type'). */
export type DefinitionLookup = (name: string) => { text: string; pkg: string } | undefined;

/** The full text of `root` (its text and package given), its dependencies looked up by name. */
export function fullDefinitionText(
  rootName: string,
  root: { text: string; pkg: string },
  lookup: DefinitionLookup,
): string {
  const seen = new Set<string>();
  const append = (def: { text: string; pkg: string }, depth: number): string => {
    if (depth <= 0) {
      throw new SchemaError('BAD_DEFINITION', `${rootName}: dependencies nest deeper than ${MAX_DEPTH}`);
    }
    let result = def.text;
    for (const dep of textDependencies(def.text, def.pkg)) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      const found = lookup(dep);
      if (!found) {
        throw new SchemaError(
          'BAD_DEFINITION',
          `${rootName}: depends on '${dep}', which no .msg file defines`,
        );
      }
      result += `\n${DELIMITER}\nMSG: ${dep}\n${append(found, depth - 1)}`;
    }
    return result;
  };
  return append(root, MAX_DEPTH);
}

/** 'pkg/Type' or 'pkg/msg/Type' as the registry's 'pkg/msg/Type'. */
export function messageTypeName(name: string): string | undefined {
  const parts = name.split('/');
  if (parts.length === 2) return `${parts[0]}/msg/${parts[1]}`;
  if (parts.length === 3 && parts[1] === 'msg') return name;
  return undefined;
}
