/**
 * How sure the localiser is, in one word and one line (medhjalparen_msgs/LocalizationStatus):
 * pure, so every rule is tested on its own. Doubt wins: anything that makes the pose unusable
 * makes it 'lost', whatever else looks fine.
 */
import type { LocalizationState } from '../../interfaces/index.js';

export interface StatusInput {
  /** A pose exists (initial pose given and odometry seen). */
  initialized: boolean;
  /** s since the last scan (Infinity: none yet). */
  scanAgeS: number;
  /** Why odometry is not believed right now ('' when it is). */
  odometryProblem: string;
  /** m, rad: the estimate's spread. */
  positionSigma: number;
  yawSigma: number;
  /** 0..1 averaged over about a second; NaN when too few beams to judge. */
  scanMatch: number;
}

export interface StatusLimits {
  scan_timeout: number;
  uncertain_position_sigma: number;
  lost_position_sigma: number;
  uncertain_yaw_sigma: number;
  lost_yaw_sigma: number;
  uncertain_scan_match: number;
  lost_scan_match: number;
}

export function classify(s: StatusInput, l: StatusLimits): { state: LocalizationState; reason: string } {
  if (s.scanAgeS > l.scan_timeout && Number.isFinite(s.scanAgeS)) {
    return { state: 'lost', reason: `lidar quiet for ${s.scanAgeS.toFixed(1)} s` };
  }
  if (!s.initialized || !Number.isFinite(s.scanAgeS)) {
    return {
      state: 'initializing',
      reason: s.initialized ? 'no scan yet' : 'no pose yet (no odometry or initial pose)',
    };
  }
  if (s.odometryProblem) return { state: 'lost', reason: s.odometryProblem };
  const deg = (rad: number) => ((rad * 180) / Math.PI).toFixed(0);
  const pct = (share: number) => `${Math.round(share * 100)} % of beams fit`;
  if (s.positionSigma > l.lost_position_sigma)
    return { state: 'lost', reason: `position spread ${s.positionSigma.toFixed(2)} m` };
  if (s.yawSigma > l.lost_yaw_sigma) return { state: 'lost', reason: `heading spread ${deg(s.yawSigma)}°` };
  if (s.scanMatch < l.lost_scan_match)
    return { state: 'lost', reason: `scan does not match the map (${pct(s.scanMatch)})` };
  if (s.positionSigma > l.uncertain_position_sigma)
    return { state: 'uncertain', reason: `position spread ${s.positionSigma.toFixed(2)} m` };
  if (s.yawSigma > l.uncertain_yaw_sigma)
    return { state: 'uncertain', reason: `heading spread ${deg(s.yawSigma)}°` };
  if (s.scanMatch < l.uncertain_scan_match)
    return { state: 'uncertain', reason: `scan fits the map poorly (${pct(s.scanMatch)})` };
  return { state: 'ok', reason: '' };
}
