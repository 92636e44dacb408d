import { describe, expect, it } from 'vitest';
import type { GuideRequest } from '../interfaces/index.js';
import { rebuiltRequest, termOf } from './replay-inputs.js';

const redacted: GuideRequest = { request_id: 'req-4', text: '', language: 'fi', plain: false, mode: '' };

describe('rebuilding a redacted request for a replay', () => {
  it("takes the site's term from GuideStatus.why, never anything else", () => {
    expect(termOf("elsewhere tax-card: 'verokortti' (fi)")).toBe('verokortti');
    expect(termOf("service housing-allowance: 'bostadsbidrag' (sv)")).toBe('bostadsbidrag');
    expect(termOf("name: 'Kela'")).toBe('Kela');
    expect(termOf('')).toBeUndefined();
    // A term cut short for the log would not match the same way: no rebuild from it.
    expect(termOf(`service x: '${'a'.repeat(80)}…' (en)`)).toBeUndefined();
  });

  it('puts back the destination (or term) recorded for the request, and leaves unredacted ones alone', () => {
    const destinations = new Map([['req-4', 'kela']]);
    expect(rebuiltRequest(redacted, destinations)).toEqual({ ...redacted, text: 'kela' });
    expect(rebuiltRequest({ ...redacted, request_id: 'req-5' }, destinations)).toEqual({
      ...redacted,
      request_id: 'req-5',
      text: '',
    });
    expect(rebuiltRequest({ ...redacted, text: 'kela' }, destinations)).toBeUndefined();
  });
});
