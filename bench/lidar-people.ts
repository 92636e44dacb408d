/**
 * People from the lidar (issue 13): precision and recall of the robot's own /people against the
 * simulator's ground truth, within 5 m of the robot, over seeded escorts with pedestrians on the
 * sample floor; and the detector's time per scan. Beside it, in the same runs on the same scans,
 * the named peer (bench/lidar-people-peer.ts). The matching rule is sim/people-score.ts's: a
 * detection within 0.5 m of a true person, one to one; true people hidden by the map's walls are
 * not counted as missed.
 *
 * Timing runs a second detector instance on each scan (same input, same output as the robot's
 * node) with the robot's true pose: the stand-in localiser makes TF's pose the true one.
 */
import { loadSite } from '../src/map/index.js';
import { LidarPeopleDetector } from '../src/perception/index.js';
import type { LaserScan } from '../src/ros/index.js';
import { PEOPLE_SCORE_RULE, PeopleScorer, scoreRobotPeople } from '../sim/people-score.js';
import { parseScenario } from '../sim/scenario.js';
import { simulate } from '../cli/simulate.js';
import { summarize, wallMs, type BenchRow } from './harness.js';
import { PEER_NAME, PlainJumpClustering } from './lidar-people-peer.js';

const SEEDS = [1, 2, 3];
const PEDESTRIANS = 10;

/** Two escorts through the busy middle of the floor, with pedestrians walking about. */
export function pedestrianScenario(seed: number, pedestrians = PEDESTRIANS) {
  return parseScenario(
    `name: people from the lidar
site: ../../maps/iso-omena
seed: ${seed}
start_time: 2026-11-26T10:00:00+02:00
pedestrians: ${pedestrians}
time_limit: 900
customers:
  - { ask: 'neuvola', expect: { outcome: arrived, destination: neuvola } }
  - { ask: 'Where are the lifts?', expect: { outcome: arrived, destination: lifts } }
`,
    'sim/scenarios/bench-lidar-people.yaml',
  );
}

export async function run(): Promise<BenchRow[]> {
  const robotScore = new PeopleScorer();
  const peerScore = new PeopleScorer();
  const detectorMs: number[] = [];
  const peerMs: number[] = [];
  let site: Awaited<ReturnType<typeof loadSite>> | undefined;
  for (const seed of SEEDS) {
    const scenario = pedestrianScenario(seed);
    site ??= await loadSite(scenario.siteDir);
    const timed = new LidarPeopleDetector({ map: site.map });
    const peer = new PlainJumpClustering();
    await simulate(scenario, {
      site,
      onStart: (sim) => {
        scoreRobotPeople(sim, robotScore);
        const physics = sim.world.physics;
        sim.graph
          .createNode('people_bench')
          .createSubscription('sensor_msgs/msg/LaserScan', '/scan', (scan: LaserScan) => {
            const pose = physics.robotPose();
            const t0 = wallMs();
            timed.process(scan, pose);
            const t1 = wallMs();
            const found = peer.detect(scan, pose);
            const t2 = wallMs();
            detectorMs.push(t1 - t0);
            peerMs.push(t2 - t1);
            peerScore.add(found, physics.people(), pose, (p) => physics.lineOfSight(pose, p));
          });
      },
    });
  }
  const ours = robotScore.score();
  const theirs = peerScore.score();
  const det = summarize(detectorMs);
  const peerT = summarize(peerMs);
  const bench = 'people from the lidar';
  const within = `within ${PEOPLE_SCORE_RULE.withinM} m, match ≤ ${PEOPLE_SCORE_RULE.matchM} m`;
  const note = `${SEEDS.length} seeded runs, ${PEDESTRIANS} pedestrians, ${ours.frames} /people messages; ${within}`;
  return [
    {
      bench,
      metric: 'medhjalparen precision',
      value: ours.precision,
      unit: '',
      target: '≥ 0.9',
      ok: ours.precision >= 0.9,
      note,
    },
    {
      bench,
      metric: 'medhjalparen recall',
      value: ours.recall,
      unit: '',
      target: '≥ 0.9',
      ok: ours.recall >= 0.9,
    },
    { bench, metric: 'medhjalparen per scan p50', value: det.p50, unit: 'ms' },
    { bench, metric: 'medhjalparen per scan p99', value: det.p99, unit: 'ms' },
    { bench, metric: 'peer precision', value: theirs.precision, unit: '', note: `peer: ${PEER_NAME}` },
    { bench, metric: 'peer recall', value: theirs.recall, unit: '' },
    { bench, metric: 'peer per scan p50', value: peerT.p50, unit: 'ms' },
    { bench, metric: 'peer per scan p99', value: peerT.p99, unit: 'ms' },
  ];
}
