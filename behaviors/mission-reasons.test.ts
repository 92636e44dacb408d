import { describe, expect, it } from 'vitest';
import { NAV2_CODE_NAMES, NAV_ERROR_CODES, NAV_OUTCOMES, nav2Code } from '../src/navigation/index.js';
import {
  MISSION_REASONS,
  NAV2_FAILURES,
  NAV_FAILURE_REASONS,
  OUTCOMES,
  navFailureOf,
  navReasonOf,
  outcomeOfStatus,
  reasonText,
} from './mission-reasons.js';

/** docs/navigation.md, "Running beside Nav2": the mission's reason for each Nav2 code. */
const REASON_OF_CODE: Record<number, string> = {
  9000: 'nav_failed', // NavigateToPose.UNKNOWN
  9001: 'nav_failed', // FAILED_TO_LOAD_BEHAVIOR_TREE
  9002: 'nav_failed', // TF_ERROR
  9003: 'nav_timed_out', // TIMEOUT
  200: 'nav_failed', // ComputePathToPose.UNKNOWN
  201: 'nav_failed', // INVALID_PLANNER
  202: 'nav_failed', // TF_ERROR
  203: 'nav_failed', // START_OUTSIDE_MAP
  204: 'nav_failed', // GOAL_OUTSIDE_MAP
  205: 'nav_failed', // START_OCCUPIED
  206: 'nav_failed', // GOAL_OCCUPIED
  207: 'nav_timed_out', // TIMEOUT
  208: 'nav_no_path', // NO_VALID_PATH
  100: 'nav_failed', // FollowPath.UNKNOWN
  101: 'nav_failed', // INVALID_CONTROLLER
  102: 'nav_failed', // TF_ERROR
  103: 'nav_failed', // INVALID_PATH
  104: 'nav_blocked', // PATIENCE_EXCEEDED
  105: 'nav_blocked', // FAILED_TO_MAKE_PROGRESS
  106: 'nav_blocked', // NO_VALID_CONTROL
  107: 'nav_blocked', // CONTROLLER_TIMED_OUT
  700: 'nav_failed', // Spin.UNKNOWN
  701: 'nav_timed_out', // TIMEOUT
  702: 'nav_failed', // TF_ERROR
  703: 'nav_blocked', // COLLISION_AHEAD
  901: 'nav_failed', // DockRobot.DOCK_NOT_IN_DB
  902: 'nav_failed', // DOCK_NOT_VALID
  903: 'nav_blocked', // FAILED_TO_STAGE
  904: 'nav_failed', // FAILED_TO_DETECT_DOCK
  905: 'nav_blocked', // FAILED_TO_CONTROL
  906: 'nav_failed', // FAILED_TO_CHARGE
  907: 'nav_timed_out', // TIMEOUT (Kilted)
  999: 'nav_failed', // UNKNOWN
};

describe('the failure vocabulary', () => {
  it('gives every navigation ending but NONE a mission reason that exists', () => {
    const codes = NAV_OUTCOMES.filter((c) => c !== 'NONE');
    expect(Object.keys(NAV_FAILURE_REASONS).sort()).toEqual([...codes].sort());
    for (const reason of Object.values(NAV_FAILURE_REASONS)) expect(MISSION_REASONS).toHaveProperty(reason);
  });

  it("reads each of Nav2's codes into the mission's reason of the documented table", () => {
    expect(Object.keys(NAV2_FAILURES).sort()).toEqual([...NAV2_CODE_NAMES].sort());
    const table = Object.fromEntries(NAV2_CODE_NAMES.map((n) => [nav2Code(n), navReasonOf(nav2Code(n))]));
    expect(table).toEqual(REASON_OF_CODE);
    expect(navFailureOf(208)).toEqual({ code: 'NO_PATH', name: 'ComputePathToPose.NO_VALID_PATH (208)' });
  });

  it('reads a code no table defines as a failure for the generic reason, naming the number', () => {
    expect(navFailureOf(4242)).toEqual({ code: 'UNKNOWN', name: 'unknown error_code 4242' });
    expect(navReasonOf(4242)).toBe('nav_failed');
    // A Jazzy bt_navigator whose tree failed without a server's code aborts with 0.
    expect(navFailureOf(0)).toEqual({ code: 'UNKNOWN', name: 'aborted without an error_code (0)' });
    expect(navFailureOf(Number.NaN).name).toBe('unknown error_code NaN');
  });

  it("reads the robot's own navigator back to the ending it decided (an e-stop is the gate's to say)", () => {
    for (const [ending, code] of Object.entries(NAV_ERROR_CODES)) {
      if (ending === 'NONE' || ending === 'CANCELLED' || ending === 'STOPPED') continue;
      expect(navFailureOf(code).code, ending).toBe(ending);
    }
  });

  it('reaches every outcome from arriving or from some reason', () => {
    const reached = new Set(['arrived', ...Object.values(MISSION_REASONS).map((r) => r.outcome)]);
    for (const outcome of OUTCOMES) expect(reached).toContain(outcome);
  });

  it('decides a request by arriving or by a reason that ends requests', () => {
    expect(outcomeOfStatus('arrived', '')).toBe('arrived');
    expect(outcomeOfStatus('returning', 'nav_blocked')).toBe('nav_failed');
    expect(outcomeOfStatus('estopped', 'estop')).toBe('estopped');
    expect(outcomeOfStatus('idle', 'unknown_destination')).toBe('unknown');
    expect(outcomeOfStatus('idle', 'elsewhere')).toBe('elsewhere');
    expect(outcomeOfStatus('idle', 'directions_given')).toBe('directions');
    expect(outcomeOfStatus('idle', 'ask_timed_out')).toBe('ambiguous');
  });

  it('leaves a request open on a reason that ends none, or one it does not know', () => {
    expect(outcomeOfStatus('escorting', '')).toBeUndefined();
    // Asked back, the customer has not answered yet: the request goes on.
    expect(outcomeOfStatus('asking', 'asking')).toBeUndefined();
    expect(outcomeOfStatus('idle', 'return_blocked')).toBeUndefined();
    expect(outcomeOfStatus('returning', 'toString')).toBeUndefined();
    expect(outcomeOfStatus('returning', 'a_newer_reason')).toBeUndefined();
  });

  it('says each reason in plain words for operators, and an unknown one as unknown', () => {
    expect(reasonText('customer_lost')).toBe('the customer stopped following and did not come back');
    expect(reasonText('desk_closed_by_staff')).toMatch(/^staff have closed or paused the desk/);
    expect(reasonText('')).toBe('');
    expect(reasonText('toString')).toBe('an unknown reason (toString)');
    for (const code of Object.keys(MISSION_REASONS).filter((c) => c !== '')) {
      expect(reasonText(code), code).toMatch(/^[a-z].*[a-z)]$/);
    }
  });

  it('decides a dispatch by getting there, and a staff closure as closed', () => {
    expect(outcomeOfStatus('idle', 'dispatch_arrived')).toBe('arrived');
    expect(outcomeOfStatus('dispatched', 'dispatched')).toBeUndefined();
    expect(outcomeOfStatus('idle', 'desk_closed_by_staff')).toBe('closed');
    expect(outcomeOfStatus('paused', 'paused')).toBeUndefined();
  });
});
