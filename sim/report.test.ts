import { describe, expect, it } from 'vitest';
import { requestExpectationFailures } from './report.js';

describe('request expectations', () => {
  const said = ['escort.start', 'escort.wait', 'escort.look', 'escort.ask', 'escort.resume', 'arrive'];

  it('passes phrases said in order, with others between', () => {
    expect(
      requestExpectationFailures(
        { says: ['escort.wait', 'escort.ask', 'arrive'] },
        { outcome: 'arrived', destination: 'kela', said },
      ),
    ).toEqual([]);
  });

  it('fails phrases said out of order or not at all, and says what was said', () => {
    expect(
      requestExpectationFailures(
        { says: ['escort.ask', 'escort.look'] },
        { outcome: 'arrived', destination: 'kela', said },
      ),
    ).toEqual([
      "says: expected 'escort.look' after [escort.start, escort.wait, escort.look, escort.ask], got [escort.start, escort.wait, escort.look, escort.ask, escort.resume, arrive]",
    ]);
    expect(
      requestExpectationFailures(
        { outcome: 'lost', says: ['escort.lost'] },
        { outcome: 'arrived', destination: 'kela', said },
      ),
    ).toHaveLength(2);
  });
});
