/**
 * launch/params.yaml never drifts from the nodes: every parameter in it exists on its node with
 * the declared type (written as ROS 2 types it: a double with its point) and the node's default,
 * and every parameter the nodes declare is in it. A stale default in the file would silently
 * override a new one in the code on every launch, so a changed default fails here too.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { Parameter, ParameterType, type ParameterValue } from '../src/ros/index.js';
import { WILDCARD, parseParamsFile, type ParamsFile } from '../src/ros/rclnodejs/index.js';
import { PARAMS_YAML } from './generate-params.js';
import { LaunchGraph } from '../cli/graph-option.js';
import { DEFAULT_SITE } from '../cli/package-files.js';
import { loadSite } from '../src/map/index.js';
import { EmbeddedContext, SimClock } from '../src/ros/index.js';
import { robotParams, startUnspun, type RobotParams } from './robot-params.js';

const REGENERATE =
  'regenerate it: node --import tsx launch/generate-params.ts && npx prettier --write launch/params.yaml';

let file: ParamsFile;
let declared: RobotParams;
beforeAll(async () => {
  file = parseParamsFile(await readFile(PARAMS_YAML, 'utf8'), 'launch/params.yaml');
  declared = await robotParams();
});

/** What is wrong with one parameter of the file against the node's declaration, if anything. */
function mismatch(declaredParam: Parameter | undefined, value: ParameterValue): string | undefined {
  if (!declaredParam) return 'the node declares no such parameter';
  const type = Parameter.fromValue(declaredParam.name, value).type;
  if (type !== declaredParam.type) {
    return `declared ${ParameterType[declaredParam.type]}, the file has ${ParameterType[type]} (${String(value)})`;
  }
  const same = JSON.stringify([value], big) === JSON.stringify([declaredParam.value], big);
  return same
    ? undefined
    : `the node's default is ${String(declaredParam.value)}, the file has ${String(value)}`;
}
const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);

describe('launch/params.yaml', () => {
  it('has only parameters the nodes declare, of their type and with their defaults', () => {
    const problems: string[] = [];
    for (const [node, params] of Object.entries(file.nodes)) {
      const ofNode = declared.nodes.get(node);
      for (const [name, value] of Object.entries(params)) {
        const where = `${file.where[node]?.[name]}: ${node}.ros__parameters.${name}`;
        if (!ofNode) problems.push(`${where}: the robot starts no node '${node}'`);
        const why =
          ofNode &&
          mismatch(
            ofNode.find((p) => p.name === name),
            value,
          );
        if (why) problems.push(`${where}: ${why}`);
      }
    }
    expect(problems, `${problems.join('\n')}\n${REGENERATE}`).toEqual([]);
  });

  it('has every parameter the nodes declare (but those taken from the site), and no /**', () => {
    const missing = [...declared.nodes].flatMap(([node, params]) =>
      params.filter((p) => file.nodes[node]?.[p.name] === undefined).map((p) => `${node}: ${p.name}`),
    );
    expect(missing, `missing from launch/params.yaml:\n${missing.join('\n')}\n${REGENERATE}`).toEqual([]);
    const fromSite = declared.fromSite.filter((f) => {
      const [node, name] = f.split(': ');
      return file.nodes[node!]?.[name!] !== undefined;
    });
    expect(fromSite, 'these come from the site; a file fixing them overrides every site').toEqual([]);
    expect(Object.keys(file.wildcard), `${WILDCARD} belongs to the launch file (use_sim_time)`).toEqual([]);
  });

  it('finds the parameters of all the robot’s nodes, and the dock pose as the site’s', () => {
    // The composition behind the check: were it to find nothing, the checks above would pass idly.
    expect([...declared.nodes.keys()].sort()).toEqual(
      expect.arrayContaining(['amcl', 'drive_base', 'guide_mission', 'lidar', 'navigator', 'safety_gate']),
    );
    expect(declared.fromSite).toEqual(
      expect.arrayContaining(['amcl: initial_pose.x', 'amcl: initial_pose.y', 'amcl: initial_pose.yaw']),
    );
  });

  it('is taken whole by the robot through --params-file: no parameter left over', async () => {
    // As `run --world hardware --params-file launch/params.yaml` starts it (cli/robot-job.ts).
    const graph = new LaunchGraph(new EmbeddedContext({ clock: new SimClock(0n) }), file);
    const robot = await startUnspun(graph, await loadSite(DEFAULT_SITE));
    try {
      expect(graph.unused()).toEqual([]);
    } finally {
      await robot.stop();
      graph.shutdown();
    }
  });
});
