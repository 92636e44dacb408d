import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { GuideRequest, Utterance } from '../interfaces/index.js';
import { schemaRegistry } from '../ros/schemas/index.js';
import { RecordingError } from './errors.js';
import { openRecording, type Recording } from './reader.js';
import { METADATA_END, METADATA_START } from './recorder.js';
import {
  MS,
  SECRET,
  START_NS,
  countsByTopic,
  plainBytes,
  recordTalkers,
  runChecker,
  type TalkerRun,
} from './test-support.js';

let dir: string;
let file: string;
let run: TalkerRun;
let recording: Recording;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'medhjalparen-recorder-'));
  file = path.join(dir, 'talkers.mcap');
  run = await recordTalkers(file);
  recording = await openRecording(file);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const decode = (type: string, data: Uint8Array) => schemaRegistry().decode(type, data);

describe('the recorder', () => {
  it('writes a whole ros2 MCAP file: ros2msg schemas, CDR, zstd chunks, a summary', async () => {
    expect(recording.indexed).toBe(true);
    expect(recording.damage).toEqual([]);
    expect(recording.profile).toBe('ros2');
    expect(recording.library).toBe('medhjalparen 9.9.9-test');
    for (const c of recording.channels) {
      expect(c.schemaEncoding).toBe('ros2msg');
      expect(c.messageEncoding).toBe('cdr');
      expect(new TextDecoder().decode(c.schemaData)).toBe(schemaRegistry().schema(c.schemaName).data);
    }
    const checked = runChecker(file);
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
    expect(checked.report.compression).toBe('zstd');
  });

  it('records every topic it may, as often as it was published, and the independent checker agrees', async () => {
    const counts = await countsByTopic(recording);
    expect(counts['/scan']).toBe(run.published['/scan']);
    expect(counts['/guide/request']).toBe(run.published['/guide/request']);
    expect(counts['/guide/say']).toBe(run.published['/guide/say']);
    // The latched map was published before the recorder started: it still got it.
    expect(counts['/map']).toBe(1);
    const map = recording.channels.find((c) => c.topic === '/map')!;
    expect(map.metadata.get('durability')).toBe('transient_local');
    // rosbag2's form, so ros2 bag play republishes it latched: reliable (1), transient_local (1).
    expect(parseYaml(map.metadata.get('offered_qos_profiles')!)).toMatchObject([
      { reliability: 1, durability: 1 },
    ]);
    expect(
      recording.channels.find((c) => c.topic === '/scan')!.metadata.get('offered_qos_profiles'),
    ).toBeUndefined();
    // A topic that appeared later is found by the discovery timer (0.5 s of node time at most).
    expect(counts['/late']).toBeGreaterThanOrEqual(run.published['/late']! - 50);
    expect(counts['/late']).toBeLessThanOrEqual(run.published['/late']!);
    expect(run.stats.topics).toEqual(counts);
    expect(runChecker(file).report.channels).toEqual(counts);
  });

  it('stamps log time with the node clock and publish time with header.stamp', async () => {
    const scans = [];
    for await (const m of recording.messages(['/scan'])) scans.push(m);
    expect(scans).toHaveLength(200);
    scans.forEach((m, i) => {
      expect(m.logTime).toBe(START_NS + BigInt(i + 1) * 10n * MS);
      expect(m.publishTime).toBe(m.logTime - 5n * MS);
      expect(m.sequence).toBe(i);
    });
    const scan = decode('sensor_msgs/msg/LaserScan', scans[7]!.data) as { ranges: Float32Array };
    expect(Array.from(scan.ranges)).toEqual(
      Array.from(Float32Array.from({ length: 8 }, (_, k) => 1 + k + 8 / 1000)),
    );
  });

  it("never holds a customer's words: requests and utterances keep everything but their text", async () => {
    for await (const m of recording.messages(['/guide/request'])) {
      const r = decode(m.channel.schemaName, m.data) as GuideRequest;
      expect(r).toMatchObject({ text: '', language: 'fi', plain: true, mode: 'escort' });
      expect(r.request_id).toMatch(/^req-\d+$/);
    }
    for await (const m of recording.messages(['/guide/say'])) {
      const u = decode(m.channel.schemaName, m.data) as Utterance;
      expect(u).toMatchObject({ text: '', kind: 'asking', choices: ['kela', 'library'] });
    }
    const plain = await plainBytes(file);
    for (const fragment of [SECRET, 'Maija', 'Meikäläinen', '010170', 'Missä on Kela', 'Sanoit'])
      expect(plain.includes(Buffer.from(fragment, 'utf8'))).toBe(false);
  });

  it('leaves out images and free text, and says so in the metadata', async () => {
    const topics = recording.channels.map((c) => c.topic);
    for (const t of ['/camera/rear/image_raw', '/camera/rear/image_compressed_as_scan', '/chat'])
      expect(topics).not.toContain(t);
    const excluded = run.stats.excluded.map((e) => [e.topic, e.reason]);
    expect(excluded).toEqual(
      expect.arrayContaining([
        ['/camera/rear/image_raw', 'image'],
        ['/camera/rear/image_compressed_as_scan', 'image'],
        ['/chat', 'free_text'],
      ]),
    );
    const end = recording.metadata.get(METADATA_END)!;
    expect(JSON.parse(end.get('excluded_topics')!)).toEqual(run.stats.excluded);
    expect((await plainBytes(file)).includes(Buffer.from('rear_camera'))).toBe(false);
  });

  it('skips topics of unknown types and messages that do not fit, counts them, and goes on', async () => {
    expect(run.stats.unknownSchema).toEqual([{ topic: '/odd', type: 'foo_msgs/msg/Bar' }]);
    expect(run.stats.mismatched).toEqual({ '/scan_bad': 200 });
    const end = recording.metadata.get(METADATA_END)!;
    expect(JSON.parse(end.get('unknown_schema_topics')!)).toEqual(run.stats.unknownSchema);
    expect(JSON.parse(end.get('mismatched_messages')!)).toEqual({ '/scan_bad': 200 });
    expect((await countsByTopic(recording))['/scan_bad']).toBeUndefined();
    expect(end.get('messages')).toBe(String(run.stats.messages));
  });

  it('writes the robot version, the site and the start (wall and node time) into the file', () => {
    const start = recording.metadata.get(METADATA_START)!;
    expect(Object.fromEntries(start)).toMatchObject({
      robot_version: '9.9.9-test',
      site_id: 'test-site',
      site_dir: '/nowhere/test-site',
      started_at: '2026-11-26T08:00:00.000Z',
      start_time_ns: String(START_NS),
      include_images: 'false',
    });
  });
});

describe('the recorder on request', () => {
  it('records camera images when an operator asks for them (never free text)', async () => {
    const withImages = path.join(dir, 'images.mcap');
    const r = await recordTalkers(withImages, { includeImages: true, steps: 20 });
    const counts = await countsByTopic(await openRecording(withImages));
    expect(counts['/camera/rear/image_raw']).toBe(20);
    expect(counts['/camera/rear/image_compressed_as_scan']).toBe(20);
    expect(r.stats.excluded).toEqual([{ topic: '/chat', type: 'std_msgs/msg/String', reason: 'free_text' }]);
    expect(runChecker(withImages).report.channels).toEqual(counts);
  });

  it('drops what the disk cannot keep up with, counted, without throwing into the graph', async () => {
    const slow = path.join(dir, 'slow.mcap');
    // One queued call at a time: within one spin (messages of 8 topics) all but the first are refused.
    const r = await recordTalkers(slow, { maxPending: 1, steps: 20 });
    expect(r.stats.dropped).toBeGreaterThan(0);
    // What may be recorded in 20 steps: /scan, the request and the reply each step, and the map.
    expect(r.stats.messages + r.stats.dropped).toBe(3 * 20 + 1);
    expect(runChecker(slow).status).toBe(0);
  });

  it('overwrites only a new file or an earlier recording', async () => {
    const notes = path.join(dir, 'notes.txt');
    await writeFile(notes, 'my notes\n');
    await expect(recordTalkers(notes, { steps: 1 })).rejects.toThrow(RecordingError);
    await expect(recordTalkers(notes, { steps: 1 })).rejects.toThrow(
      /notes\.txt: cannot record here: .*not an MCAP recording/,
    );
    await expect(recordTalkers(dir, { steps: 1 })).rejects.toThrow(/is a folder/);
    await expect(recordTalkers(path.join(dir, 'no', 'such.mcap'), { steps: 1 })).rejects.toThrow(
      /does not exist/,
    );
    const again = path.join(dir, 'again.mcap');
    await recordTalkers(again, { steps: 2 });
    await expect(recordTalkers(again, { steps: 5 })).resolves.toBeDefined();
    expect((await countsByTopic(await openRecording(again)))['/scan']).toBe(5);
  });
});
