import { describe, expect, it } from 'vitest';
import { NAV_ERROR_CODES } from '../src/navigation/index.js';
import {
  MISSION_REASONS,
  NAV_FAILURE_REASONS,
  OUTCOMES,
  outcomeOfStatus,
  reasonText,
} from './mission-reasons.js';

describe('the failure vocabulary', () => {
  it('gives every navigation code but NONE a mission reason that exists', () => {
    const codes = Object.keys(NAV_ERROR_CODES).filter((c) => c !== 'NONE');
    expect(Object.keys(NAV_FAILURE_REASONS).sort()).toEqual(codes.sort());
    for (const reason of Object.values(NAV_FAILURE_REASONS)) expect(MISSION_REASONS).toHaveProperty(reason);
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
