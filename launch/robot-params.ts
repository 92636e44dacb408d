/**
 * The parameters the robot's nodes declare, with their defaults, found the only sure way: by
 * starting the robot as launch/medhjalparen.launch.py does (--world hardware with a lidar, the
 * embedded graph standing in for ROS 2) and recording each declaration. Nothing spins, so no
 * device is opened and no timer runs. Parameters whose default comes from the site (the dock
 * pose, say) are found by starting it twice, the second time with the dock moved, and left out:
 * a file that fixed them would override every other site's.
 *
 * Used by launch/generate-params.ts (writes launch/params.yaml) and launch/params.test.ts
 * (fails when the two drift apart).
 */
import { DEFAULT_SITE } from '../cli/package-files.js';
import { serialLink } from '../src/hardware/index.js';
import { loadSite, type Site } from '../src/map/index.js';
import { HardwareWorld, startRobot } from '../src/robot/index.js';
import {
  EmbeddedContext,
  GraphDecorator,
  SimClock,
  type GraphContext,
  type NodeOptions,
  type Parameter,
  type RosNode,
} from '../src/ros/index.js';

/** Every node declares it; the launch file sets it from its use_sim_time argument instead. */
const PER_LAUNCH = new Set(['use_sim_time']);

export interface RobotParams {
  /** Node name → its parameters in declaration order, site-dependent ones left out. */
  nodes: Map<string, Parameter[]>;
  /** 'node: parameter' for each one left out because its default comes from the site. */
  fromSite: string[];
}

/** A graph that keeps every parameter each node declares. */
class RecordingGraph extends GraphDecorator {
  readonly declared = new Map<string, Parameter[]>();

  override createNode(name: string, namespace?: string, options?: NodeOptions): RosNode {
    const node = super.createNode(name, namespace, options);
    const list: Parameter[] = [];
    this.declared.set(name, list);
    const declare = node.declareParameter.bind(node);
    node.declareParameter = (p: Parameter) => {
      const declared = declare(p);
      list.push(declared);
      return declared;
    };
    return node;
  }
}

/**
 * Starts the robot as the launch file does (--world hardware, a lidar) on `graph`, which is
 * never spun: the serial links are never opened, only a spinning graph would try.
 */
export async function startUnspun(graph: GraphContext, site: Site): Promise<{ stop(): Promise<void> }> {
  const world = new HardwareWorld({
    base: serialLink('/nonexistent/drive-base', 'drive base (not opened)'),
    lidar: serialLink('/nonexistent/lidar', 'lidar (not opened)'),
  });
  return startRobot({ graph, world, site });
}

/** Starts the robot once on `site` and gives what each node declared. */
async function declaredOn(site: Site): Promise<Map<string, Parameter[]>> {
  const graph = new RecordingGraph(new EmbeddedContext({ clock: new SimClock(0n) }));
  const robot = await startUnspun(graph, site);
  await robot.stop();
  graph.shutdown();
  return graph.declared;
}

/** The robot's parameters on the package's own site, without the site-dependent ones. */
export async function robotParams(siteDir: string = DEFAULT_SITE): Promise<RobotParams> {
  const site = await loadSite(siteDir);
  const moved: Site = {
    ...site,
    dock: { x: site.dock.x + 1.25, y: site.dock.y - 0.75, yaw: site.dock.yaw + 0.5 },
  };
  const here = await declaredOn(site);
  const there = await declaredOn(moved);
  const nodes = new Map<string, Parameter[]>();
  const fromSite: string[] = [];
  for (const [node, params] of here) {
    const other = new Map((there.get(node) ?? []).map((p) => [p.name, p.value]));
    const kept = params.filter((p) => {
      if (PER_LAUNCH.has(p.name)) return false;
      const same = sameValue(other.get(p.name), p.value);
      if (!same) fromSite.push(`${node}: ${p.name}`);
      return same;
    });
    if (kept.length > 0) nodes.set(node, kept);
  }
  return { nodes, fromSite };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, big) === JSON.stringify(b, big);
}
const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);
