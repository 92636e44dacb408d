/**
 * viz_publisher on an embedded graph with the sample site: the footprint and the desk markers,
 * latched for late subscribers, desks coloured as the mission sees them (staff's status where one
 * applies, else opening hours) and published again only when one opens or closes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../cli/package-files.js';
import type { DeskStatusArray } from '../interfaces/index.js';
import { loadSite, type Site } from '../map/index.js';
import { DEFAULT_ROBOT } from '../robot/index.js';
import { EmbeddedContext, SimClock, type MarkerArray, type PolygonStamped } from '../ros/index.js';
import { CLOSED_COLOUR, OPEN_COLOUR } from './desk-markers.js';
import { FoxgloveError } from './errors.js';
import { startVizPublisher } from './viz-publisher.js';

/** Thursday 26 November 2026, 09:30 in Espoo: Kela opens at 09:00 and closes at 16:00. */
const MORNING_NS = BigInt(Date.parse('2026-11-26T09:30:00+02:00')) * 1_000_000n;
const NS_PER_S = 1_000_000_000n;
let site: Site;
beforeAll(async () => {
  site = await loadSite(DEFAULT_SITE);
});

function rig(overrides: Record<string, number> = {}) {
  const clock = new SimClock(MORNING_NS);
  const graph = new EmbeddedContext({ clock, parameterOverrides: { viz_publisher: overrides } });
  const viz = startVizPublisher(graph.createNode('viz_publisher'), { site, robot: DEFAULT_ROBOT });
  const listener = graph.createNode('listener');
  const markers: MarkerArray[] = [];
  const footprints: PolygonStamped[] = [];
  const latched = { qos: { durability: 'transient_local' as const } };
  const deskStatus = listener.createPublisher(
    'medhjalparen_msgs/msg/DeskStatusArray',
    '/guide/desk_status',
    latched,
  );
  const advance = (seconds: number) => {
    const end = clock.nowNs() + BigInt(Math.round(seconds * 100)) * (NS_PER_S / 100n);
    while (clock.nowNs() < end) {
      clock.advanceTo(clock.nowNs() + NS_PER_S / 100n);
      graph.spinSome();
    }
  };
  // Subscribed after the first publish: only a latched topic reaches it.
  listener.createSubscription('visualization_msgs/msg/MarkerArray', '/desks/markers', latched, (m) =>
    markers.push(m),
  );
  listener.createSubscription('geometry_msgs/msg/PolygonStamped', '/footprint', latched, (m) =>
    footprints.push(m),
  );
  graph.spinSome();
  return { graph, clock, viz, markers, footprints, deskStatus, advance };
}

const kelaIndex = () => site.destinations.findIndex((d) => d.id === 'kela');
const kelaDisc = (m: MarkerArray) => m.markers.find((x) => x.ns === 'desks' && x.id === kelaIndex())!;
const kelaLabel = (m: MarkerArray) => m.markers.find((x) => x.ns === 'desk_labels' && x.id === kelaIndex())!;

describe('viz_publisher', () => {
  it('latches the footprint in base_link and re-stamps it, so a view keeps it under the robot', () => {
    const r = rig();
    expect(r.footprints).toHaveLength(1);
    const first = r.footprints[0]!;
    expect(first.header.frame_id).toBe('base_link');
    expect(first.polygon.points).toHaveLength(24);
    expect(first.polygon.points[0]).toEqual({ x: DEFAULT_ROBOT.radius, y: 0, z: 0 });
    r.advance(1);
    expect(r.footprints.length).toBeGreaterThanOrEqual(10);
    expect(r.footprints.at(-1)!.header.stamp.sec).toBe(first.header.stamp.sec + 1);
  });

  it('latches a marker and a label per destination, green while open, after a DELETEALL', () => {
    const r = rig();
    expect(r.markers).toHaveLength(1);
    const m = r.markers[0]!;
    expect(m.markers[0]).toMatchObject({ action: 3 });
    expect(m.markers).toHaveLength(1 + 2 * site.destinations.length);
    expect(kelaDisc(m)).toMatchObject({ type: 3, header: { frame_id: 'map' }, color: OPEN_COLOUR });
    expect(kelaDisc(m).pose.position).toMatchObject({
      x: site.destinations[kelaIndex()]!.pose.x,
      y: site.destinations[kelaIndex()]!.pose.y,
    });
    expect(kelaLabel(m)).toMatchObject({ type: 9, text: `${site.destinations[kelaIndex()]!.name.en}\nopen` });
  });

  it('turns a desk red at once when staff close it, and green again when their status ends', () => {
    const r = rig();
    const untilNs = MORNING_NS + 60n * NS_PER_S;
    const closed: DeskStatusArray = {
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' },
      desks: [
        {
          destination_id: 'kela',
          state: 'closed',
          note: 'Back at ten',
          until: { sec: Number(untilNs / NS_PER_S), nanosec: 0 },
        },
      ],
    };
    r.deskStatus.publish(closed);
    r.advance(0.01);
    expect(r.markers).toHaveLength(2);
    expect(kelaDisc(r.markers[1]!).color).toEqual(CLOSED_COLOUR);
    expect(kelaLabel(r.markers[1]!).text).toMatch(/^Kela .*\nclosed$/);
    const other = r.markers[1]!.markers.find(
      (x) => x.ns === 'desks' && x.id !== kelaIndex() && x.color === OPEN_COLOUR,
    );
    expect(other).toBeDefined();
    r.advance(50);
    expect(r.markers).toHaveLength(2);
    r.advance(20);
    expect(r.markers).toHaveLength(3);
    expect(kelaDisc(r.markers[2]!).color).toEqual(OPEN_COLOUR);
  });

  it('follows opening hours: Kela turns red after 16:00 and nothing is sent while nothing changes', () => {
    const r = rig({ 'viz.footprint_period': 3600 });
    // Other desks open and close during the day: the jump to 15:59 publishes once for them.
    r.clock.advanceTo(BigInt(Date.parse('2026-11-26T15:59:00+02:00')) * 1_000_000n);
    r.graph.spinSome();
    expect(r.markers).toHaveLength(2);
    expect(kelaDisc(r.markers[1]!).color).toEqual(OPEN_COLOUR);
    r.advance(50);
    expect(r.markers).toHaveLength(2);
    r.advance(20);
    expect(r.markers).toHaveLength(3);
    expect(kelaDisc(r.markers[2]!).color).toEqual(CLOSED_COLOUR);
    expect(kelaLabel(r.markers[2]!).text).toMatch(/^Kela .*\nclosed$/);
  });

  it('refuses parameters it cannot work with, naming them', () => {
    expect(() => rig({ 'viz.footprint_period': 0 })).toThrow(FoxgloveError);
    expect(() => rig({ 'viz.footprint_period': 0 })).toThrow(
      /^viz\.footprint_period: expected a number > 0, found 0$/,
    );
    expect(() => rig({ 'viz.footprint_sides': 2 })).toThrow(
      /^viz\.footprint_sides: expected a whole number 3…360, found 2$/,
    );
  });
});
