/**
 * The live socket on a real server and real WebSockets: who may open it, the snapshot then each
 * change, closing at logout and at expiry, rate limits counting upgrades; and the bound on each
 * socket's unsent messages, with sockets that never drain (the network's side held back).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Account } from '../../console/server/access.js';
import { FleetControlDouble, twoSiteFleet } from './fleet-control-double.js';
import { startFleetConsoleRig, type FleetConsoleRig } from './fleet-console-rig.js';
import { FLEET_LIVE_PATH, FleetLiveHub, type LiveSocket } from './fleet-live.js';
import type { FleetLiveMessage } from './schemas.js';

interface Client {
  ws: WebSocket;
  messages: FleetLiveMessage[];
  closed: { code: number } | undefined;
}

/** Opens the live socket; resolves once it is open, or rejects with the refused status. */
function open(rig: FleetConsoleRig, o: { cookie?: string; origin?: string } = {}): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${rig.console.port}${FLEET_LIVE_PATH}`, {
    headers: { origin: o.origin ?? rig.origin, ...(o.cookie ? { cookie: o.cookie } : {}) },
  });
  const client: Client = { ws, messages: [], closed: undefined };
  ws.on('message', (data) => client.messages.push(JSON.parse(String(data)) as FleetLiveMessage));
  ws.on('close', (code) => (client.closed = { code }));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve(client));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

/** Waits on the event loop until `cond` holds (socket traffic; no fixed sleeps). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 20_000) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the live socket', () => {
  let rig: FleetConsoleRig;
  const clients: Client[] = [];
  beforeAll(async () => {
    rig = await startFleetConsoleRig();
    await rig.addUser('vera', 'viewer');
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.ws.terminate();
  });
  afterAll(async () => rig?.stop());

  it('sends a viewer the snapshot, then each change as the fleet tells it', async () => {
    const c = await open(rig, { cookie: rig.cookie('vera') });
    clients.push(c);
    await until(() => c.messages.length === 1, 'the snapshot');
    expect(c.messages[0]).toEqual({ type: 'snapshot', snapshot: rig.control.snapshot() });
    const alert = rig.control.alert({
      code: 'battery_low',
      site: 'espoo',
      robot: 'espoo-2',
      task: null,
      text: 'espoo-2: battery low',
    });
    rig.control.broker('disconnected');
    await until(() => c.messages.length === 3, 'two changes');
    expect(c.messages.slice(1)).toEqual([
      { type: 'change', change: { kind: 'alert', alert } },
      { type: 'change', change: { kind: 'broker', broker: 'disconnected' } },
    ]);
  });

  it('refuses no session (401) and a foreign page (403) before the upgrade', async () => {
    await expect(open(rig)).rejects.toThrow('HTTP 401');
    await expect(open(rig, { cookie: rig.cookie('vera'), origin: 'http://evil.example' })).rejects.toThrow(
      'HTTP 403',
    );
  });

  it('closes the socket (4001) when its session ends at logout', async () => {
    const cookie = rig.cookie('vera');
    const c = await open(rig, { cookie });
    clients.push(c);
    const reply = await rig.console.app.inject({
      method: 'POST',
      url: '/api/logout',
      headers: { cookie },
    });
    expect(reply.statusCode).toBe(204);
    await until(() => c.closed !== undefined, 'the socket closed');
    expect(c.closed).toEqual({ code: 4001 });
  });

  it('closes an expired session at the next change, sending it nothing more', async () => {
    const c = await open(rig, { cookie: rig.cookie('vera') });
    clients.push(c);
    await until(() => c.messages.length === 1, 'the snapshot');
    rig.wall.ms += 13 * 60 * 60 * 1000;
    rig.control.broker('connected');
    await until(() => c.closed !== undefined, 'the socket closed');
    expect(c.closed).toEqual({ code: 4001 });
    expect(c.messages).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('count WebSocket upgrades', async () => {
    const rig = await startFleetConsoleRig({ limits: { generalPerMinute: 3 } });
    try {
      await rig.addUser('vera', 'viewer');
      const cookie = rig.cookie('vera');
      const opened: Client[] = [];
      for (let i = 0; i < 3; i++) opened.push(await open(rig, { cookie }));
      await expect(open(rig, { cookie })).rejects.toThrow('HTTP 429');
      for (const c of opened) c.ws.terminate();
    } finally {
      await rig.stop();
    }
  });
});

describe('a slow page', () => {
  /** A socket as the hub uses it; `drains` false: the network never takes what is sent. */
  function fakeSocket(drains: boolean) {
    const socket = {
      sent: [] as string[],
      terminated: false,
      send(data: string, done: () => void) {
        socket.sent.push(data);
        if (drains) queueMicrotask(done);
      },
      on() {},
      terminate() {
        socket.terminated = true;
      },
      close() {},
    };
    return socket;
  }
  const account = (name: string, id: number): Account => ({
    user: { id, name, role: 'viewer', created: '' },
    tokenHash: name,
    expiresMs: Number.MAX_SAFE_INTEGER,
  });

  it('is dropped with a log line once it has too many messages unsent; the others get every one', async () => {
    const control = new FleetControlDouble(twoSiteFleet());
    const lines: string[] = [];
    const hub = new FleetLiveHub({ control, wallNow: () => 0, maxUnsent: 4, logLine: (l) => lines.push(l) });
    hub.start();
    const slow = fakeSocket(false);
    const quick = fakeSocket(true);
    hub.attach(slow as unknown as LiveSocket, account('slow', 1));
    hub.attach(quick as unknown as LiveSocket, account('quick', 2));
    for (let i = 0; i < 10; i++) {
      control.broker(i % 2 ? 'connected' : 'disconnected');
      // The quick one's network takes each message before the next change (a microtask).
      await Promise.resolve();
    }
    expect(slow.terminated).toBe(true);
    expect(slow.sent).toHaveLength(4);
    expect(lines).toEqual([expect.stringMatching(/dropped the live socket of slow: 4 messages unsent/)]);
    expect(quick.terminated).toBe(false);
    expect(quick.sent).toHaveLength(11);
    expect(hub.size).toBe(1);
    hub.stop();
    expect(control.listeners).toBe(0);
  });
});
