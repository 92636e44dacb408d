import { describe, expect, it } from 'vitest';
import { decodeFleet, encodeFleet, FleetMessageError, type Task } from './protocol.js';
import { deskKey, fleetId, FleetNameError, SUBJECTS } from './subjects.js';

const task: Task = {
  v: 1,
  id: 'task-00000001',
  site: 'iso-omena',
  kind: 'goto',
  destination: 'kela',
  language: '',
  plain: false,
  origin: 'operator',
  createdMs: 1,
};
const bytes = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('fleet messages', () => {
  it('round-trips a task through its schema', () => {
    expect(decodeFleet('task', encodeFleet('task', task), 'fleet.tasks.new.iso-omena')).toEqual(task);
  });

  it('refuses a newer schema version, saying which and where', () => {
    const e = catchError(() => decodeFleet('task', bytes({ ...task, v: 2 }), 'fleet.tasks.new.x'));
    expect(e.kind).toBe('version');
    expect(e.message).toBe('fleet.tasks.new.x task/v: schema version 2 is not 1, the one this program reads');
  });

  it('names the field that breaks the schema', () => {
    const e = catchError(() => decodeFleet('task', bytes({ ...task, destination: 'Kela!' }), 's'));
    expect(e.kind).toBe('schema');
    expect(e.where).toBe('s task/destination');
  });

  it('gives the byte where JSON breaks, and refuses an oversized message before parsing it', () => {
    expect(catchError(() => decodeFleet('task', Buffer.from('{"v":1,,}'), 's')).where).toBe('s@7');
    expect(catchError(() => decodeFleet('task', new Uint8Array(20_000), 's')).kind).toBe('size');
  });

  it('never encodes a message its own schema refuses', () => {
    expect(() => encodeFleet('task', { ...task, kind: 'fly' } as unknown as Task)).toThrow(/task\/kind/);
  });

  it('builds subjects only from single, wildcard-free tokens', () => {
    expect(SUBJECTS.state('iso-omena', 'r1')).toBe('fleet.state.iso-omena.r1');
    for (const bad of ['r1.r2', '*', '>', 'R1', '', '-x'])
      expect(() => fleetId(bad, 'robot')).toThrow(FleetNameError);
    expect(deskKey('iso-omena', 'kela')).toBe('iso-omena.kela');
  });
});

function catchError(fn: () => unknown): FleetMessageError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FleetMessageError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}
