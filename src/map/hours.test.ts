import { describe, expect, it } from 'vitest';
import { formatInterval, isOpen, nextOpening, parseDayHours } from './hours.js';
import type { WeeklyHours } from './types.js';

describe('parseDayHours', () => {
  it('reads one interval, several, and "closed"', () => {
    expect(parseDayHours('08:00-16:00')).toEqual([{ open: 480, close: 960 }]);
    expect(parseDayHours('08:00-12:00, 13:00-16:00')).toEqual([
      { open: 480, close: 720 },
      { open: 780, close: 960 },
    ]);
    expect(parseDayHours(' Closed ')).toEqual([]);
    expect(parseDayHours('8:30 – 24:00')).toEqual([{ open: 510, close: 1440 }]);
  });

  it('says what is wrong with a bad value', () => {
    expect(parseDayHours('8-16')).toEqual({
      problem: 'expected "HH:MM-HH:MM" (comma-separated) or "closed", found "8-16"',
    });
    expect(parseDayHours('08:00-24:30')).toEqual({
      problem: 'expected times 00:00..24:00, found "08:00-24:30"',
    });
    expect(parseDayHours('08:60-09:00')).toEqual({
      problem: 'expected times 00:00..24:00, found "08:60-09:00"',
    });
    expect(parseDayHours('22:00-02:00')).toMatchObject({
      problem: expect.stringMatching(/overnight hours are not supported/),
    });
    expect(parseDayHours('12:00-16:00, 08:00-13:00')).toEqual({
      problem: 'expected intervals in order without overlap, found "08:00-13:00" after 12:00-16:00',
    });
  });

  it('formats intervals back', () => {
    expect(formatInterval({ open: 545, close: 1440 })).toBe('09:05-24:00');
  });
});

describe('isOpen and nextOpening', () => {
  const kela: WeeklyHours = { mon: [{ open: 540, close: 960 }], fri: [{ open: 540, close: 720 }], sat: [] };

  it('open within an interval, closed at its end, closed on days not listed', () => {
    expect(isOpen(kela, 'mon', 540)).toBe(true);
    expect(isOpen(kela, 'mon', 959)).toBe(true);
    expect(isOpen(kela, 'mon', 960)).toBe(false);
    expect(isOpen(kela, 'tue', 600)).toBe(false);
    expect(isOpen(kela, 'sat', 600)).toBe(false);
    expect(isOpen(undefined, 'sun', 0)).toBe(true);
  });

  it('finds the next opening later today or days ahead, wrapping the week', () => {
    expect(nextOpening(kela, 'mon', 480)).toEqual({ day: 'mon', minute: 540, daysAhead: 0 });
    expect(nextOpening(kela, 'mon', 600)).toEqual({ day: 'fri', minute: 540, daysAhead: 4 });
    expect(nextOpening(kela, 'sat', 600)).toEqual({ day: 'mon', minute: 540, daysAhead: 2 });
    expect(nextOpening({ sat: [] }, 'mon', 0)).toBeUndefined();
  });
});
