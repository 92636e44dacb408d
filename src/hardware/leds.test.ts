import { describe, expect, it } from 'vitest';
import { GUIDE_STATES } from '../interfaces/index.js';
import { LED_CUES, ledCue } from './leds.js';

describe('ledCue', () => {
  it('shows the mission state, idle before the first status, and a latched stop above all', () => {
    expect(ledCue(undefined, false)).toBe('idle');
    expect(ledCue('escorting', false)).toBe('escorting');
    expect(ledCue('escorting', true)).toBe('stop_latched');
    expect(ledCue('moonwalking', false)).toBe('unknown_state');
  });

  it('has a setting for every mission state, with red kept for what needs a person', () => {
    for (const s of GUIDE_STATES) expect(LED_CUES[s]).toBeDefined();
    const red = Object.entries(LED_CUES)
      .filter(([, c]) => c.rgb.red === 255 && c.rgb.green === 0)
      .map(([k]) => k);
    expect(red.sort()).toEqual(['estopped', 'stop_latched']);
  });
});
