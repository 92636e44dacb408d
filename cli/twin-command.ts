/**
 * `medhjalparen sim twin`: the simulated floor behind two real serial devices (the drive-base
 * firmware on an emulated board, an emulated RPLIDAR), for running `run --world hardware` without
 * a robot. Prints the devices and, every few seconds while it moves, where the robot truly is.
 *
 * An adapter: it runs in real time and reads the terminal's signals.
 */
import path from 'node:path';
import { showControls } from '../src/input/index.js';
import { loadSite } from '../src/map/index.js';
import { HardwareTwin } from '../sim/twin.js';
import { firmwareHex } from './drive-base-option.js';

export interface TwinArgs {
  site: string;
  seed: number;
}

const REPORT_EVERY_MS = 5000;

export async function runTwinCommand(args: TwinArgs): Promise<number> {
  const siteDir = path.resolve(args.site);
  const site = await loadSite(siteDir);
  const twin = await HardwareTwin.start({ site, seed: args.seed, hexPath: await firmwareHex() });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`twin of ${showControls(site.name)}: the robot stands on its dock`);
  out(`  drive base (the real firmware on an emulated ATmega328P): ${twin.basePath}`);
  out(`  lidar (an emulated RPLIDAR A2): ${twin.lidarPath}`);
  out(`run the controller on it:`);
  out(
    `  npx medhjalparen run --world hardware --site ${showControls(siteDir)} --base ${twin.basePath} --lidar ${twin.lidarPath}`,
  );
  out('Ctrl-C stops the twin.');
  let last = twin.robotPose();
  const report = setInterval(() => {
    const pose = twin.robotPose();
    if (Math.hypot(pose.x - last.x, pose.y - last.y) < 0.05 && Math.abs(pose.yaw - last.yaw) < 0.05) return;
    last = pose;
    out(`robot at (${pose.x.toFixed(2)}, ${pose.y.toFixed(2)}) m, heading ${pose.yaw.toFixed(2)} rad`);
  }, REPORT_EVERY_MS);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(report);
  await twin.stop();
  out('twin stopped');
  return 0;
}
