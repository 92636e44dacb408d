/**
 * The kiosk's request on the robot's graph: the language only when the customer chose one ('' lets
 * the robot tell it from the words), plain language, and whether to be taken there or told the
 * way; bad values answered with where; and the customer's words never in the database or a log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuideRequest } from '../../src/interfaces/index.js';
import { startConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';

let h: ConsoleHarness;
const requests: GuideRequest[] = [];
/** Every log line of every node and the server, with its fields, as text. */
const logged: string[] = [];

beforeAll(async () => {
  const line = (node: string, level: string) => (msg: string, fields?: Record<string, unknown>) =>
    logged.push(`${node} ${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  h = await startConsoleHarness({
    logger: (node) => ({
      debug: line(node, 'debug'),
      info: line(node, 'info'),
      warn: line(node, 'warn'),
      error: line(node, 'error'),
    }),
    logError: (e) => logged.push(`server ${String(e)}`),
  });
  h.graph
    .createNode('probe')
    .createSubscription('medhjalparen_msgs/msg/GuideRequest', '/guide/request', (r) => requests.push(r));
  await h.step(1);
}, 60_000);
afterAll(async () => h?.stop());

const idle = () => h.until(() => h.console.bridge.book.get('mission').state === 'idle', 'idle', 120);

async function ask(body: unknown): Promise<string> {
  const reply = await h.api('POST', '/api/kiosk/request', { body });
  expect(reply.status, reply.text).toBe(200);
  const id = (reply.body as { request_id: string }).request_id;
  await h.until(() => requests.some((r) => r.request_id === id), 'the request on the graph', 5);
  return id;
}

describe('a kiosk request on /guide/request', () => {
  it('carries no language until the customer chose one, plain language, and the mode', async () => {
    const first = await ask({ text: 'zzqx', plain: true, mode: 'directions' });
    expect(requests.find((r) => r.request_id === first)).toEqual({
      request_id: first,
      text: 'zzqx',
      language: '',
      plain: true,
      mode: 'directions',
    });
    await idle();
    const second = await ask({ text: 'zzqy', language: 'sv' });
    expect(requests.find((r) => r.request_id === second)).toEqual({
      request_id: second,
      text: 'zzqy',
      language: 'sv',
      plain: false,
      mode: 'escort',
    });
    await idle();
    const third = await ask({ text: 'zzqz', language: '' });
    expect(requests.find((r) => r.request_id === third)).toMatchObject({ language: '', mode: 'escort' });
    await idle();
  });

  it('refuses a language, mode or plain it does not know, saying which field', async () => {
    for (const [body, where] of [
      [{ text: 'kela', language: 'de' }, 'body.language'],
      [{ text: 'kela', mode: 'teleport' }, 'body.mode'],
      [{ text: 'kela', plain: 'yes' }, 'body.plain'],
    ] as const) {
      const reply = await h.api('POST', '/api/kiosk/request', { body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body).toMatchObject({ error: 'invalid_input', where });
    }
  });
});

describe('why: how a request was understood', () => {
  it("reaches the live mission and the mission log as the catalogue's term, in the words' language", async () => {
    await idle();
    const id = await ask({ text: 'haen lapsilisää' });
    await h.until(() => h.console.bridge.book.get('mission').state === 'escorting', 'escorting', 20);
    const why = h.console.bridge.book.get('mission').why;
    expect(why).toMatch(/^service [a-z0-9-]+: '[^']+' \(fi\)$/);
    expect(h.console.bridge.book.get('mission').destination_id).toBe('kela');
    await h.api('POST', '/api/kiosk/cancel', { body: { request_id: id } });
    await h.until(
      () => h.store.missions(5).some((m) => m.request_id === id && m.outcome !== ''),
      'logged',
      20,
    );
    expect(h.store.missions(5).find((m) => m.request_id === id)).toMatchObject({
      language: 'fi',
      destination_id: 'kela',
      outcome: 'cancelled',
      why,
    });
    await idle();
  });
});

describe('asked back', () => {
  it("names the desks in the say's language, and the kiosk's cancel ends the question", async () => {
    await idle();
    const id = await ask({ text: 'obetald hyra', plain: false });
    const staff = await h.socket('/kiosk/ws?request_id=' + id);
    await h.until(() => h.console.bridge.book.get('mission').state === 'asking', 'asking', 20);
    await h.settle(() => staff.messages.some((m) => m.type === 'say'), 'the question');
    const question = staff.messages.find((m) => m.type === 'say');
    if (question?.type !== 'say') throw new Error('no say');
    expect(question.language).toBe('sv');
    expect(question.choices.map((c) => c.id).sort()).toEqual(['espoon-asunnot', 'kela']);
    for (const c of question.choices) expect(question.text).toContain(c.name);
    expect(h.console.bridge.book.get('mission').why).toMatch(
      /'obetald hyra' \(sv\); .*'obetald hyra' \(sv\)/,
    );
    const cancel = await h.api('POST', '/api/kiosk/cancel', { body: { request_id: id } });
    expect(cancel.status, cancel.text).toBe(200);
    await idle();
    staff.close();
  });
});

describe("the robot's words on a page", () => {
  it('a long phrase (directions) is spoken in parts, each served as a WAV; its choices are named', async () => {
    const say = h.graph
      .createNode('long_say')
      .createPublisher('medhjalparen_msgs/msg/Utterance', '/guide/say');
    const steps = Array.from(
      { length: 14 },
      (_, i) => `Walk straight on for about ${i + 5} metres, then turn right.`,
    );
    const text = steps.join(' ');
    const page = await h.socket('/kiosk/ws?request_id=kiosk-longsay');
    say.publish({
      request_id: 'kiosk-longsay',
      language: 'en',
      kind: 'directions',
      text,
      plain: false,
      choices: ['kela', 'no-such-desk'],
    });
    await h.step(0.1);
    await h.settle(() => page.messages.some((m) => m.type === 'say'), 'the say on the kiosk');
    const heard = page.messages.find((m) => m.type === 'say')!;
    if (heard.type !== 'say') throw new Error('not a say');
    expect(heard.text).toBe(text);
    expect(heard.choices).toEqual([{ id: 'kela', name: expect.stringMatching(/^Kela/) }]);
    const urls = [heard.audio!, ...(heard.audio_more ?? [])];
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) {
      const wav = await h.api('GET', url);
      expect(wav.status).toBe(200);
      expect(wav.headers.get('content-type')).toBe('audio/wav');
    }
    page.close();
  });
});

describe('privacy', () => {
  it("keeps the customer's typed words out of the database and every log, the mission's too", async () => {
    const words = 'Olen Maija Virtanen, missä on HUSLAB';
    const id = await ask({ text: words, plain: true });
    await h.until(() => h.console.bridge.book.get('mission').state === 'escorting', 'escorting', 20);
    await h.api('POST', '/api/kiosk/cancel', { body: { request_id: id } });
    await h.until(
      () => h.store.missions(5).some((m) => m.request_id === id && m.outcome !== ''),
      'the request logged with its outcome',
      20,
    );
    const line = h.store.missions(5).find((m) => m.request_id === id)!;
    expect(line).toMatchObject({ origin: 'kiosk' });
    expect(JSON.stringify(line)).not.toMatch(/Maija|Virtanen/);
    expect(line.why).toMatch(/huslab/i);
    expect(logged.some((l) => l.includes(id))).toBe(true); // the logs do name the request
    expect(logged.filter((l) => /Maija|Virtanen/.test(l))).toEqual([]);
    const files = readdirSync(h.dataDir).map((f) => readFileSync(path.join(h.dataDir, f)));
    expect(files.length).toBeGreaterThan(0);
    for (const bytes of files) {
      expect(bytes.includes('Virtanen')).toBe(false);
      expect(bytes.includes('Maija')).toBe(false);
    }
  });
});
