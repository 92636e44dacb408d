/**
 * The battery as the guide mission hears it (POWER events): the charge estimate (battery-watch),
 * called unreliable only once it has been bad for a while (one odd reading is no fault, and the
 * estimator holds the last good charge meanwhile), and, during an escort, what the rest of the
 * trip and the way home would take from where the robot is, so that the mission can tell
 * whether the charge sees it through. Faults are logged once as they start and as they end.
 */
import type { GuideStatus } from '../src/interfaces/index.js';
import type { Site } from '../src/map/index.js';
import { chargeForTrip, type ChargeEstimate } from '../src/power/index.js';
import type { RobotDescription } from '../src/robot-description.js';
import { distance, type RosNode, type TransformBuffer } from '../src/ros/index.js';
import { watchBattery } from './battery-watch.js';
import type { GuideEvent } from './guide-mission.js';

export interface PowerWatchParams {
  /** A reading bad this long (s) makes the battery unreliable to the mission. */
  unreliableAfterS: number;
  /** Routes are longer than the straight line by about this factor. */
  detourFactor: number;
  /** The escort's pace, m/s (the way to the desk); the way home is at the robot's own speed. */
  walkingSpeedMps: number;
}

export interface PowerWatchDeps {
  node: RosNode;
  site: Pick<Site, 'dock' | 'destinations'>;
  robot: RobotDescription;
  tf: TransformBuffer;
  params: PowerWatchParams;
  /** The mission's last status (which escort, if any, is under way). */
  status: () => GuideStatus;
  send: (e: GuideEvent) => void;
}

/** States in which a trip to a desk is under way (what is left of it counts). */
const ESCORT_STATES: ReadonlySet<string> = new Set(['escorting', 'waiting_for_customer']);
/** Statuses the estimator gives while it still holds a charge it trusts. */
const TRUSTED: ReadonlySet<string> = new Set(['ok', 'jump']);
const NS_PER_S = 1e9;

export function watchPower(deps: PowerWatchDeps): { stop(): void } {
  const { node, params, send } = deps;
  const log = node.getLogger();
  let badSinceNs: bigint | undefined;
  let reportedBad = false;
  return watchBattery(node, deps.robot, (e, stampNs) => {
    // Before any reading, there is no battery to speak of (a robot that reports none is never low).
    if (e.status === 'no_reading') return;
    if (TRUSTED.has(e.status)) badSinceNs = undefined;
    else badSinceNs ??= stampNs;
    const bad =
      badSinceNs !== undefined && Number(stampNs - badSinceNs) / NS_PER_S >= params.unreliableAfterS;
    if (bad !== reportedBad) {
      reportedBad = bad;
      if (bad) log.warn('battery reading unreliable', { status: e.status, detail: e.detail });
      else log.info('battery reading good again', { charge: e.charge.toFixed(3) });
    }
    const tripCharge = remainingTripCharge(deps, e);
    send({
      type: 'POWER',
      charge: e.charge,
      reliable: !bad && Number.isFinite(e.charge),
      charging: e.charging,
      ...(tripCharge !== undefined ? { tripCharge } : {}),
      stampNs,
    });
  });
}

/** What the rest of the escort under way and the way home need (0..1), if one is under way. */
function remainingTripCharge(deps: PowerWatchDeps, e: ChargeEstimate): number | undefined {
  const status = deps.status();
  if (!ESCORT_STATES.has(status.state) || !Number.isFinite(e.charge)) return undefined;
  const desk = deps.site.destinations.find((d) => d.id === status.destination_id);
  const here = deps.tf.lookup('map', 'base_link')?.pose;
  if (!desk || !here) return undefined;
  const { detourFactor, walkingSpeedMps } = deps.params;
  const toDesk = distance(here, desk.pose) * detourFactor;
  const home = distance(desk.pose, deps.site.dock) * detourFactor;
  const durationS = toDesk / walkingSpeedMps + home / deps.robot.maxLinear;
  return durationS > 0 ? chargeForTrip(deps.robot.battery, toDesk + home, durationS) : 0;
}
