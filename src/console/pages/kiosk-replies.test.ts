/** The kiosk's screen for each thing the robot says: by phrase kind and choices, for every kind the robot has. */
import { describe, expect, it } from 'vitest';
import { PHRASE_KINDS } from '../../interaction/phrases.js';
import { replyOf, type Say } from './web/kiosk-replies.js';

const say = (kind: string, choices: Say['choices'] = []): Say => ({
  type: 'say',
  request_id: 'kiosk-1',
  language: 'en',
  kind,
  text: '…',
  plain: false,
  choices,
});
const TWO = [
  { id: 'kela', name: 'Kela' },
  { id: 'espoon-asunnot', name: 'Espoon Asunnot' },
];

describe('replyOf', () => {
  it('asks back with buttons while there are choices, and tells plainly when the question ends', () => {
    expect(replyOf(say('asking', TWO))).toBe('choose');
    expect(replyOf(say('asking.again', TWO))).toBe('choose');
    expect(replyOf(say('unknown.suggest', TWO))).toBe('choose');
    expect(replyOf(say('asking.timeout'))).toBe('answer');
    expect(replyOf(say('asking.cancelled'))).toBe('answer');
    expect(replyOf(say('unknown.suggest'))).toBe('answer');
  });

  it('shows directions when asked for or when the robot is busy, and elsewhere with its way on', () => {
    expect(replyOf(say('directions'))).toBe('directions');
    expect(replyOf(say('busy.directions'))).toBe('directions');
    expect(replyOf(say('busy'))).toBe('answer');
    expect(replyOf(say('elsewhere'))).toBe('elsewhere');
    expect(replyOf(say('elsewhere.way', [{ id: 'metro', name: 'Metro' }]))).toBe('elsewhere');
  });

  it('tells the way when the battery is low, the way on when it must leave, and plainly when it cannot', () => {
    expect(replyOf(say('battery.low.directions'))).toBe('directions');
    expect(replyOf(say('battery.handover'))).toBe('handover');
    expect(replyOf(say('battery.low'))).toBe('answer');
    expect(replyOf(say('battery.critical'))).toBe('answer');
    expect(replyOf(say('centre.closed'))).toBe('answer');
  });

  it('gives every phrase the robot has a screen, but its greeting and its words on the way back', () => {
    // A new phrase kind fails here until the kiosk decides what it shows for it.
    const aside = PHRASE_KINDS.filter((kind) => replyOf(say(kind)) === 'aside');
    // Beside those, shown as the robot's words on the escort screen: asking someone in the way to
    // step aside, and standing still while it finds where it is; and to bystanders, not to a
    // request, that it cannot get home (said on its way back).
    expect(aside).toEqual([
      'greet',
      'return',
      'return.blocked',
      'return.help',
      'escort.make_way',
      'localizing',
    ]);
    expect(replyOf(say('localization.lost'))).toBe('answer');
  });
});
