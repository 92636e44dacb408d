import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RclnodejsUnavailableError, loadRclnodejs, missingPackages, rosNotSourced } from './load.js';

/** A scratch ament prefix: share/<pkg>/package.xml for each package it "installs". */
const scratch = mkdtempSync(path.join(os.tmpdir(), 'medhjalparen-ament-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function prefix(name: string, packages: string[]): string {
  const dir = path.join(scratch, name);
  for (const pkg of packages) {
    mkdirSync(path.join(dir, 'share', pkg), { recursive: true });
    writeFileSync(path.join(dir, 'share', pkg, 'package.xml'), `<package><name>${pkg}</name></package>\n`);
  }
  return dir;
}

const ros = { ROS_DISTRO: 'jazzy', AMENT_PREFIX_PATH: '/opt/ros/jazzy' };

async function failure(load: Promise<unknown>): Promise<string> {
  const error = await load.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RclnodejsUnavailableError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('ROS 2 sourced or not', () => {
  it('names what is unset and says to source ROS 2 first', async () => {
    const message = await failure(loadRclnodejs({ env: {} }));
    expect(message).toMatch(/ROS_DISTRO and AMENT_PREFIX_PATH are not set/);
    expect(message).toContain('source /opt/ros/jazzy/setup.bash');
    expect(message).toContain('colcon build --base-paths interfaces');
    expect(rosNotSourced({ ROS_DISTRO: 'jazzy' })).toMatch(/but AMENT_PREFIX_PATH is not set/);
    expect(rosNotSourced(ros)).toBeUndefined();
  });
});

describe('interface packages on AMENT_PREFIX_PATH', () => {
  const ros2 = prefix('ros', ['nav2_msgs', 'std_msgs']);
  const ours = prefix('ours', ['medhjalparen_msgs']);
  const env = (...prefixes: string[]) => ({ ROS_DISTRO: 'jazzy', AMENT_PREFIX_PATH: prefixes.join(':') });

  it('says to build medhjalparen_msgs with colcon when no prefix has it', async () => {
    const message = await failure(loadRclnodejs({ env: env(ros2), requirePackages: ['medhjalparen_msgs'] }));
    expect(message).toMatch(
      /no package medhjalparen_msgs on AMENT_PREFIX_PATH: build interfaces\/medhjalparen_msgs/,
    );
  });

  it('says which apt package brings a missing ROS package', () => {
    const fs = (file: string) => file.startsWith(ros2) || file.startsWith(ours);
    expect(missingPackages(env(ros2, ours), ['medhjalparen_msgs', 'nav2_msgs'], fs)).toBeUndefined();
    expect(missingPackages(env(ros2, ours), ['nav2_msgs', 'people_msgs'], () => false)).toMatch(
      /no package nav2_msgs .*apt-get install ros-jazzy-nav2-msgs/,
    );
  });

  it('finds packages in any prefix, on the real file system', async () => {
    // Past the package check, the import is what fails (a name nobody publishes).
    const message = await failure(
      loadRclnodejs({
        env: env(ros2, ours),
        requirePackages: ['medhjalparen_msgs', 'nav2_msgs'],
        specifier: 'rclnodejs-absent-on-purpose',
      }),
    );
    expect(message).toMatch(/rclnodejs-absent-on-purpose is not installed/);
  });
});

describe('importing rclnodejs', () => {
  it('says to npm install rclnodejs, with ROS 2 sourced, when the package is not there', async () => {
    const message = await failure(loadRclnodejs({ env: ros, specifier: 'rclnodejs-absent-on-purpose' }));
    expect(message).toBe(
      '--graph ros2: rclnodejs-absent-on-purpose is not installed (an optional dependency): with ROS 2 sourced (`source /opt/ros/jazzy/setup.bash`), run `npm install rclnodejs`',
    );
  });

  it('says to rebuild it when it is there but does not load (its native part, say)', async () => {
    const broken = 'data:text/javascript,throw new Error("Could not locate the bindings file.\\n Tried: …")';
    const message = await failure(loadRclnodejs({ env: ros, specifier: broken }));
    expect(message).toMatch(/is installed but does not load \(Could not locate the bindings file\.\)/);
    expect(message).toContain('npm rebuild rclnodejs');
  });

  it('tells a missing dependency of rclnodejs from rclnodejs itself missing', async () => {
    const file = path.join(scratch, 'needs-a-dependency.mjs');
    writeFileSync(file, "import 'a-dependency-absent-on-purpose';\n");
    const message = await failure(loadRclnodejs({ env: ros, specifier: pathToFileURL(file).href }));
    expect(message).toMatch(
      /is installed but does not load \(Cannot find package 'a-dependency-absent-on-purpose'/,
    );
  });

  it('refuses a module that is not rclnodejs 2.x', async () => {
    const message = await failure(
      loadRclnodejs({ env: ros, specifier: 'data:text/javascript,export default {}' }),
    );
    expect(message).toMatch(/loaded but is not rclnodejs 2\.x \(no init\(\) or Node\)/);
  });
});
