/**
 * Loads rclnodejs, the optional dependency behind `--graph ros2`, by dynamic import: a process
 * on the embedded graph never loads it. Whatever is missing (a sourced ROS 2, the npm package,
 * the project's interface package) is said in one line, with what to do about it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Rclnodejs } from './api.js';

export class RclnodejsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RclnodejsUnavailableError';
  }
}

const SOURCE_ROS = 'source /opt/ros/jazzy/setup.bash';
const BUILD_INTERFACES =
  'build interfaces/medhjalparen_msgs with colcon (colcon build --base-paths interfaces) and source install/setup.bash';

export interface LoadOptions {
  /** Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The module to import; default 'rclnodejs'. */
  specifier?: string;
  /** ROS packages the caller will use, checked on AMENT_PREFIX_PATH before anything starts. */
  requirePackages?: readonly string[];
  /** Default: the file system's. */
  exists?: (file: string) => boolean;
}

/** rclnodejs, loaded; or a RclnodejsUnavailableError saying what is missing and what to do. */
export async function loadRclnodejs(options: LoadOptions = {}): Promise<Rclnodejs> {
  const env = options.env ?? process.env;
  const notSourced = rosNotSourced(env);
  if (notSourced) throw new RclnodejsUnavailableError(notSourced);
  const missing = missingPackages(env, options.requirePackages ?? [], options.exists ?? existsSync);
  if (missing) throw new RclnodejsUnavailableError(missing);
  return importRclnodejs(options.specifier ?? 'rclnodejs');
}

/** Why ROS 2 does not look sourced in `env`, or undefined when it does. */
export function rosNotSourced(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const unset = ['ROS_DISTRO', 'AMENT_PREFIX_PATH'].filter((name) => !env[name]);
  if (unset.length === 0) return undefined;
  return `--graph ros2 needs a sourced ROS 2, but ${unset.join(' and ')} ${
    unset.length === 1 ? 'is' : 'are'
  } not set: run \`${SOURCE_ROS}\` (and, for the robot's own messages, ${BUILD_INTERFACES}) first`;
}

/**
 * The first of `packages` that no prefix on AMENT_PREFIX_PATH provides (share/<pkg>/package.xml,
 * as ament's index has it), said with how to get it; undefined when all are there.
 */
export function missingPackages(
  env: Readonly<Record<string, string | undefined>>,
  packages: readonly string[],
  exists: (file: string) => boolean,
): string | undefined {
  const prefixes = (env['AMENT_PREFIX_PATH'] ?? '').split(path.delimiter).filter(Boolean);
  for (const pkg of packages) {
    if (prefixes.some((prefix) => exists(path.join(prefix, 'share', pkg, 'package.xml')))) continue;
    const how =
      pkg === 'medhjalparen_msgs'
        ? BUILD_INTERFACES
        : `install it (apt-get install ros-${env['ROS_DISTRO'] ?? 'jazzy'}-${pkg.replaceAll('_', '-')})`;
    return `--graph ros2: ROS 2 has no package ${pkg} on AMENT_PREFIX_PATH: ${how}`;
  }
  return undefined;
}

async function importRclnodejs(specifier: string): Promise<Rclnodejs> {
  let loaded: { default?: unknown };
  try {
    loaded = (await import(specifier)) as { default?: unknown };
  } catch (error) {
    throw new RclnodejsUnavailableError(importFailure(specifier, error));
  }
  // A CommonJS module: its exports object is the namespace's default.
  const mod = (loaded.default ?? loaded) as Partial<Rclnodejs>;
  if (typeof mod.init !== 'function' || typeof mod.Node !== 'function') {
    throw new RclnodejsUnavailableError(
      `--graph ros2: '${specifier}' loaded but is not rclnodejs 2.x (no init() or Node): run \`npm install rclnodejs@^2\` with ROS 2 sourced`,
    );
  }
  return mod as Rclnodejs;
}

/** The import's failure in one line: not installed, or installed but not loadable here. */
export function importFailure(specifier: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // Not found *itself*: a dependency of an installed rclnodejs missing is the other case.
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  if (notFound && message.includes(`'${specifier}'`)) {
    return `--graph ros2: ${specifier} is not installed (an optional dependency): with ROS 2 sourced (\`${SOURCE_ROS}\`), run \`npm install rclnodejs\``;
  }
  const first = message.split('\n')[0]!.slice(0, 200);
  return `--graph ros2: ${specifier} is installed but does not load (${first}): with ROS 2 sourced (\`${SOURCE_ROS}\`), run \`npm rebuild rclnodejs\``;
}
