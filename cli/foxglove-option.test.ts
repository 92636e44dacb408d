import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROBOT } from '../src/robot/index.js';
import { loadSite, type Site } from '../src/map/index.js';
import { EmbeddedContext, SimClock } from '../src/ros/index.js';
import { FoxgloveError } from '../src/foxglove/index.js';
import { TestClient, until } from '../src/foxglove/test-support.js';
import { DEFAULT_SITE } from './package-files.js';
import { isLoopback } from '../src/foxglove/index.js';
import { parseFoxgloveArgs, prepareFoxglove, startCliViz } from './foxglove-option.js';

let site: Site;
beforeAll(async () => {
  site = await loadSite(DEFAULT_SITE);
});

describe('--foxglove and --foxglove-listen', () => {
  it('are off unless --foxglove is given, and listen on 127.0.0.1 by default', () => {
    expect(parseFoxgloveArgs({})).toBeUndefined();
    expect(parseFoxgloveArgs({ foxglove: '8765' })).toEqual({ port: 8765, host: '127.0.0.1' });
    expect(parseFoxgloveArgs({ foxglove: '0', 'foxglove-listen': '0.0.0.0' })).toEqual({
      port: 0,
      host: '0.0.0.0',
    });
    expect(parseFoxgloveArgs({ foxglove: '8765', 'foxglove-listen': '[::1]' })).toEqual({
      port: 8765,
      host: '::1',
    });
  });

  it('say what is wrong with a port or a host, naming the flag', () => {
    const wrong = (values: Parameters<typeof parseFoxgloveArgs>[0]) => {
      try {
        parseFoxgloveArgs(values);
      } catch (e) {
        expect(e).toBeInstanceOf(FoxgloveError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(wrong({ foxglove: '65536' })).toBe(
      "--foxglove: expected a port 0…65535 (0: any free one), got '65536'",
    );
    expect(wrong({ foxglove: '-1' })).toMatch(/^--foxglove: expected a port/);
    expect(wrong({ foxglove: '' })).toMatch(/^--foxglove: expected a port/);
    expect(wrong({ 'foxglove-listen': '0.0.0.0' })).toBe('--foxglove-listen: needs --foxglove PORT');
    expect(wrong({ foxglove: '8765', 'foxglove-listen': 'evil host;rm' })).toMatch(
      /^--foxglove-listen: expected a host name or address/,
    );
  });

  it('knows which addresses only this machine reaches', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.20', 'robot.local'].some(isLoopback)).toBe(false);
  });
});

describe('the Foxglove live view beside the robot', () => {
  const graph = new EmbeddedContext({ clock: new SimClock(1_764_000_000n * 1_000_000_000n) });
  const fox = prepareFoxglove({ port: 0, host: '127.0.0.1' });
  afterAll(async () => {
    await fox.stop();
    graph.shutdown();
  });

  it('starts the server and viz_publisher, says where in the banner, and stops both', async () => {
    expect(fox.console.address()).toBeUndefined();
    expect(fox.banner()).toBe('');
    const viz = await startCliViz(graph, { site, robot: DEFAULT_ROBOT });
    await fox.start(graph);
    graph.spinSome();
    const address = fox.console.address()!;
    expect(address.host).toBe('127.0.0.1');
    expect(fox.banner()).toMatch(
      new RegExp(
        `^Foxglove: ws://127\\.0\\.0\\.1:${address.port}/ .*viewing needs no pass \\(this machine only\\)`,
      ),
    );
    const c = await TestClient.connect(`ws://127.0.0.1:${address.port}/`);
    await until(() => c.channels.has('/footprint') && c.channels.has('/desks/markers'), 'the viz topics');
    // No console deadman given: the server takes nothing from clients.
    expect(c.serverInfo?.capabilities).toEqual(['time']);
    await fox.stop();
    await until(() => c.closed !== undefined, 'closed by stop');
    expect(fox.console.address()).toBeUndefined();
    await fox.stop();
    viz.stop();
    // The nodes are gone: both can be started again on the same graph.
    const again = await startCliViz(graph, { site, robot: DEFAULT_ROBOT });
    await fox.start(graph);
    expect(fox.console.address()).toBeDefined();
    again.stop();
  });
});
