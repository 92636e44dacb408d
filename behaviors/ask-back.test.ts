import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readReply } from './ask-back.js';

const TWO = ['kela', 'espoo-housing'];
const THREE = ['kela', 'espoo-housing', 'library'];

describe('readReply', () => {
  it.each<[string, number]>([
    ['1', 0],
    ['2.', 1],
    [' 3 ', 2],
    ['number 2', 1],
    ['toinen', 1],
    ['kolmas', 2],
    ['eka', 0],
    ['tvåan', 1],
    ['den tredje', 2],
    ['the third one', 2],
    ['second', 1],
    ['two', 1],
    ['kaksi', 1],
    ['espoo-housing', 1],
    ['KELA', 0],
  ])('reads %j as pick %i of three', (text, index) => {
    expect(readReply(text, THREE)).toEqual({ kind: 'pick', index });
  });

  it.each([
    'peruuta',
    'ei kiitos',
    'Ei, kiitos!',
    'avbryt',
    'Nej tack.',
    'cancel',
    'no thanks',
    'never mind',
  ])('reads %j as a cancel', (text) => {
    expect(readReply(text, TWO)).toEqual({ kind: 'cancel' });
  });

  it.each([
    '3', // only two were offered
    'kolmas',
    '1 or 2',
    'the first or the second',
    '',
    '   ',
    'Missä on kirjasto?',
    'I would like to go to the second floor of the building please',
    '2'.repeat(200),
  ])('does not take %j as a pick of two', (text) => {
    expect(readReply(text, TWO)).toEqual({ kind: 'other' });
  });

  it('answers any string without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const reply = readReply(text, THREE);
        if (reply.kind === 'pick') expect(reply.index).toBeLessThan(THREE.length);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
