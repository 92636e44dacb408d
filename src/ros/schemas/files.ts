/**
 * Finds the ROS 2 interface files of a tree: every package folder under `interfaces/` (the
 * project's own) and under `interfaces/vendor/` (upstream packages kept as text), each with its
 * `msg/`, `srv/` and `action/` folders, as an installed ROS package's share folder has them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SchemaError } from './errors.js';

export type InterfaceKind = 'msg' | 'srv' | 'action';

/** One `.msg`, `.srv` or `.action` file. */
export interface InterfaceFile {
  /** The ROS type name, e.g. 'geometry_msgs/msg/Point', 'std_srvs/srv/SetBool'. */
  type: string;
  pkg: string;
  kind: InterfaceKind;
  /** The type's own name, e.g. 'Point'. */
  name: string;
  /** Where it is, relative to the root and with '/' separators, for error messages. */
  file: string;
  text: string;
}

const KINDS: readonly InterfaceKind[] = ['msg', 'srv', 'action'];
const NAME = /^[a-z][a-z0-9_]*$/;
const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** Every interface file under `<root>/interfaces`, sorted by type name. */
export function readInterfaceFiles(root: string): InterfaceFile[] {
  const packages = packageFolders(root);
  const files: InterfaceFile[] = [];
  const seen = new Map<string, string>();
  for (const dir of packages) {
    const pkg = path.basename(dir);
    for (const kind of KINDS) {
      for (const file of filesOf(root, dir, kind)) {
        const name = path.basename(file, `.${kind}`);
        const type = `${pkg}/${kind}/${name}`;
        const other = seen.get(type);
        if (other !== undefined) {
          throw new SchemaError('BAD_DEFINITION', `${file}: ${type} is defined twice (also in ${other})`);
        }
        if (!TYPE_NAME.test(name)) {
          throw new SchemaError(
            'BAD_DEFINITION',
            `${file}: '${name}' is not a type name (CamelCase, A-Z first)`,
          );
        }
        seen.set(type, file);
        const text = fs.readFileSync(path.join(root, file), 'utf8');
        files.push({ type, pkg, kind, name, file, text });
      }
    }
  }
  return files.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

/** Package folders, relative to the root: interfaces/<pkg> and interfaces/vendor/<pkg>. */
function packageFolders(root: string): string[] {
  const base = path.join(root, 'interfaces');
  if (!fs.existsSync(base)) {
    throw new SchemaError('BAD_DEFINITION', `${base}: no interfaces/ folder to read definitions from`);
  }
  const own = subfolders(base)
    .filter((d) => d !== 'vendor')
    .map((d) => `interfaces/${d}`);
  const vendorDir = path.join(base, 'vendor');
  const vendored = fs.existsSync(vendorDir) ? subfolders(vendorDir).map((d) => `interfaces/vendor/${d}`) : [];
  for (const dir of [...own, ...vendored]) {
    const pkg = path.basename(dir);
    if (!NAME.test(pkg)) {
      throw new SchemaError('BAD_DEFINITION', `${dir}: '${pkg}' is not a ROS package name (a-z, 0-9, _)`);
    }
  }
  return [...own, ...vendored];
}

function subfolders(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function filesOf(root: string, pkgDir: string, kind: InterfaceKind): string[] {
  const dir = path.join(root, pkgDir, kind);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(`.${kind}`))
    .map((e) => `${pkgDir}/${kind}/${e.name}`)
    .sort();
}
