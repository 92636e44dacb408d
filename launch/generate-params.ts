/**
 * Writes launch/params.yaml: every parameter of the robot's nodes with its default, as a ROS 2
 * parameters file (see launch/robot-params.ts for how they are found). Run it after adding or
 * changing a node's parameters:
 *
 *   node --import tsx launch/generate-params.ts && npx prettier --write launch/params.yaml
 *
 * launch/params.test.ts fails until the file matches the nodes again.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ParameterType, type Parameter, type ParameterValue } from '../src/ros/index.js';
import { robotParams } from './robot-params.js';

export const PARAMS_YAML = path.join(import.meta.dirname, 'params.yaml');

/** A double as rcl's parser reads a double: always with a point (5.0, 1.0e-7), .inf and .nan. */
function double(v: number): string {
  if (Number.isNaN(v)) return '.nan';
  if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
  const s = String(v);
  if (s.includes('.')) return s;
  return s.includes('e') ? s.replace('e', '.0e') : `${s}.0`;
}

function scalar(v: boolean | bigint | number | string, type: ParameterType): string {
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  if (
    typeof v === 'number' &&
    (type === ParameterType.PARAMETER_DOUBLE || type === ParameterType.PARAMETER_DOUBLE_ARRAY)
  )
    return double(v);
  return String(v);
}

function yamlValue(p: Parameter): string {
  const v: ParameterValue = p.value;
  return Array.isArray(v) ? `[${v.map((x) => scalar(x, p.type)).join(', ')}]` : scalar(v, p.type);
}

export function renderParamsYaml(nodes: Map<string, Parameter[]>, fromSite: string[]): string {
  const lines = [
    "# The robot's node parameters with their defaults, as a ROS 2 parameters file. Generated from",
    "# the nodes' own declarations by launch/generate-params.ts; launch/params.test.ts fails when",
    '# they drift apart. Copy it for a site, change what the site needs, and pass the copy with',
    '# --params-file (launch/medhjalparen.launch.py: params_file:=...). Doubles keep their point.',
    ...(fromSite.length > 0
      ? ['#', '# Left out, their defaults come from the site:', ...fromSite.map((f) => `#   ${f}`)]
      : []),
  ];
  for (const [node, params] of [...nodes].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${node}:`, '  ros__parameters:');
    for (const p of params) lines.push(`    ${p.name}: ${yamlValue(p)}`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { nodes, fromSite } = await robotParams();
  await writeFile(PARAMS_YAML, renderParamsYaml(nodes, fromSite));
  const count = [...nodes.values()].reduce((n, ps) => n + ps.length, 0);
  process.stdout.write(`${PARAMS_YAML}: ${count} parameters of ${nodes.size} nodes\n`);
}
