/**
 * The centre's own opening hours (site.yaml `hours`) told to the guide mission as CENTRE events
 * on the node clock: once at start, at every opening and closing, and on every hour between, so
 * that "opens tomorrow at 08.00" stays true after midnight. A site without hours is always open
 * (the mission's default) and is told nothing.
 */
import { openingStatus } from '../src/interaction/index.js';
import type { Site } from '../src/map/index.js';
import type { RosNode, Timer } from '../src/ros/index.js';
import type { GuideEvent } from './guide-mission.js';

const HOUR_NS = 3_600_000_000_000n;

export function watchCentreHours(
  node: RosNode,
  site: Pick<Site, 'hours' | 'timezone'>,
  send: (e: GuideEvent) => void,
): { stop(): void } {
  const hours = site.hours;
  if (!hours) return { stop() {} };
  const log = node.getLogger();
  let timer: Timer | undefined;
  let stopped = false;
  let lastOpen: boolean | undefined;

  const tell = () => {
    timer?.cancel();
    if (stopped) return;
    const nowNs = node.now().nanoseconds;
    const status = openingStatus({ hours }, nowNs, site.timezone);
    if (status.open !== lastOpen) {
      log.info(status.open ? 'centre open' : 'centre closed', {
        ...(status.open && status.closesAt ? { closes_at_min: status.closesAt.minutes } : {}),
        ...(!status.open && status.nextOpenLocal ? { opens: status.nextOpenLocal } : {}),
      });
      lastOpen = status.open;
    }
    send({
      type: 'CENTRE',
      open: status.open,
      ...(!status.open && status.opensAt ? { opensAt: status.opensAt } : {}),
      stampNs: nowNs,
    });
    const change = status.open ? status.closesAt?.epochNs : status.opensAt?.epochNs;
    const untilChange = change !== undefined && change > nowNs ? change - nowNs : HOUR_NS;
    const untilHour = HOUR_NS - (nowNs % HOUR_NS);
    const wait = untilChange < untilHour ? untilChange : untilHour;
    // One-shot: each firing schedules the next from what the hours say then.
    timer = node.createTimer(wait > 0n ? wait : 1n, tell);
  };
  tell();
  return {
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}
