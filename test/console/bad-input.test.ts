/**
 * Bad input at the console: malformed JSON, bodies and frames too large, fields a route does not
 * take, unknown desks, teleop values out of range or not numbers, a flood of teleop frames. Each
 * gets a clear error saying where; a socket stays open after a bad frame; the robot never moves
 * faster for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Twist } from '../../src/ros/index.js';
import { startConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';

let h: ConsoleHarness;
let operator: string;
const teleopOut: Twist[] = [];

beforeAll(async () => {
  h = await startConsoleHarness();
  await h.addUser('olga', 'operator');
  operator = await h.login('olga');
  h.graph
    .createNode('probe')
    .createSubscription('geometry_msgs/msg/Twist', '/cmd_vel_teleop', (t) => teleopOut.push(t));
});
afterAll(async () => h?.stop());

describe('HTTP bodies', () => {
  it('says where JSON breaks', async () => {
    const r = await h.api('POST', '/api/dispatch', { cookie: operator, raw: '{"destination_id": "kela",,}' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'malformed_json', where: expect.stringMatching(/^body@\d+$/) });
  });

  it('refuses a body over the limit (413) and one that is not JSON (415)', async () => {
    const big = await h.api('POST', '/api/faults', {
      cookie: operator,
      raw: JSON.stringify({ text: 'x'.repeat(40_000) }),
    });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ error: 'body_too_large' });
    const form = await h.api('POST', '/api/faults', {
      cookie: operator,
      raw: 'text=hi',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
  });

  it('names the field that is wrong, missing or not taken', async () => {
    const extra = await h.api('POST', '/api/estop', { cookie: operator, body: { engaged: true, speed: 9 } });
    expect(extra.status).toBe(400);
    expect(extra.body).toMatchObject({ error: 'invalid_input', where: 'body.speed' });
    const missing = await h.api('PUT', '/api/desks/kela/status', { cookie: operator, body: { note: 'x' } });
    expect(missing.body).toMatchObject({ where: 'body.state' });
    const wrong = await h.api('PUT', '/api/desks/kela/status', { cookie: operator, body: { state: 'gone' } });
    expect(wrong.body).toMatchObject({ where: 'body.state' });
    const past = await h.api('PUT', '/api/desks/kela/status', {
      cookie: operator,
      body: { state: 'closed', until: '2020-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ where: 'body.until' });
    const suggest = await h.api('GET', '/api/kiosk/suggest?q=kela&lang=de');
    expect(suggest.body).toMatchObject({ where: 'querystring.lang' });
  });

  it('answers an unknown desk with 404 and where', async () => {
    const put = await h.api('PUT', '/api/desks/nowhere/status', {
      cookie: operator,
      body: { state: 'closed' },
    });
    expect(put.status).toBe(404);
    expect(put.body).toMatchObject({ error: 'unknown_desk', where: 'params.id' });
    const del = await h.api('DELETE', '/api/desks/nowhere/status', { cookie: operator });
    expect(del.status).toBe(404);
    const dispatch = await h.api('POST', '/api/dispatch', {
      cookie: operator,
      body: { destination_id: 'nowhere' },
    });
    expect(dispatch.status).toBe(404);
    expect(dispatch.body).toMatchObject({ where: 'body.destination_id' });
  });

  it('answers an unknown route with 404 in the same shape', async () => {
    const r = await h.api('GET', '/api/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ error: 'not_found', where: 'url' });
  });
});

describe('WebSocket frames', () => {
  it('answers a malformed or unknown frame with an error and keeps the connection', async () => {
    const live = await h.socket('/ws', { cookie: operator });
    live.send('{"type": "teleop", "linear": NaN, "angular": 0}');
    live.send({ type: 'dance' });
    live.send({ type: 'teleop', linear: 'fast', angular: 0 });
    live.send({ type: 'teleop', linear: 5, angular: 0 });
    live.send({ type: 'teleop', linear: 0.2, angular: -9 });
    await h.settle(() => live.messages.filter((m) => m.type === 'error').length === 5, 'five errors');
    const errors = live.messages.filter((m) => m.type === 'error');
    expect(errors.map((e) => e.type === 'error' && e.error)).toEqual([
      'malformed_json',
      'invalid_message',
      'invalid_message',
      'invalid_message',
      'invalid_message',
    ]);
    expect(errors[3]).toMatchObject({ where: 'frame.linear' });
    expect(errors[4]).toMatchObject({ where: 'frame.angular' });
    expect(live.closed).toBeUndefined();
    expect(teleopOut).toEqual([]);
    live.close();
  });

  it('closes a socket that sends a frame over the cap (1009)', async () => {
    const live = await h.socket('/ws', { cookie: operator });
    live.send({ type: 'teleop_stop', pad: 'x'.repeat(10_000) });
    await h.settle(() => live.closed !== undefined, 'closed');
    expect(live.closed?.code).toBe(1009);
  });

  it('drops a flood of teleop frames past the limit, with one error, and never drives faster', async () => {
    const take = await h.api('POST', '/api/teleop/take', { cookie: operator, body: { confirm: true } });
    expect(take.status).toBe(200);
    const live = await h.socket('/ws', { cookie: operator });
    for (let i = 0; i < 300; i++) live.send({ type: 'teleop', linear: 0.2, angular: 0 });
    await h.settle(() => live.messages.some((m) => m.type === 'error'), 'rate error');
    await h.step(0.2);
    const errors = live.messages.filter((m) => m.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ error: 'rate_limited' });
    await h.step(0.5);
    expect(teleopOut.length).toBeGreaterThan(0);
    expect(Math.max(...teleopOut.map((t) => t.linear.x))).toBe(0.2);
    expect(teleopOut.at(-1)!.linear.x).toBe(0);
    live.close();
    await h.api('POST', '/api/teleop/release', { cookie: operator });
  });
});
