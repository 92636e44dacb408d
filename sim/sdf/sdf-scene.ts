/**
 * What of an SDFormat world can stand on a map: the collision geometry of its static models,
 * each as a solid (box, cylinder, sphere; a mesh as its bounding box) posed in the world frame
 * (world ← model ← link ← collision, honouring `relative_to` for models, links, frames and
 * collisions of the same scope). A non-static model moves, so its collisions are not walls: it is
 * listed and left out. Anything else that cannot be put on a map is noted with its element path
 * and skipped; a value that is wrong is an error naming the file's line and the path.
 */
import { LIMITS, excerpt } from '../../src/input/index.js';
import { IDENTITY, compose, fromXyzQuat, fromXyzRpy, type Pose3 } from './pose3.js';
import { SdfImportError } from './import-errors.js';
import type { Bounds3 } from './mesh-bounds.js';
import { child, childrenNamed, type XmlElement } from './sdf-xml.js';

export type Solid =
  | { kind: 'box'; pose: Pose3; half: [number, number, number]; path: string; fromMesh?: boolean }
  | { kind: 'cylinder'; pose: Pose3; radius: number; halfLength: number; path: string }
  | { kind: 'sphere'; pose: Pose3; radius: number; path: string };

export interface SdfScene {
  version: string;
  worldName: string;
  /** Paths of the static models read. */
  staticModels: string[];
  /** Paths of the non-static models left out (their collisions move, so they are not walls). */
  movingModels: string[];
  solids: Solid[];
  /** What was skipped and why, one line each with its element path. */
  skipped: string[];
}

export interface SceneOptions {
  /** The file as the user named it, for `file:line` in errors. */
  file: string;
  /** A mesh's bounds in its own frame, or why it cannot be read (the collision is then skipped). */
  meshBounds(uri: string, path: string): Bounds3 | string;
}

const VERSIONS = ['1.6', '1.7', '1.8', '1.9', '1.10'];

/** The static solids of the world in `root` (the `<sdf>` element). */
export function readSdfScene(root: XmlElement, options: SceneOptions): SdfScene {
  const version = root.attrs.version;
  if (root.name !== 'sdf' || version === undefined) {
    const found = root.name === 'sdf' ? '<sdf> without a version attribute' : `<${excerpt(root.name)}>`;
    throw new SdfImportError(
      'NOT_SDF',
      `${options.file}:${root.line}`,
      `expected an <sdf version="…"> root element, found ${found}`,
    );
  }
  if (!VERSIONS.includes(version)) {
    throw new SdfImportError(
      'NOT_SDF',
      `${options.file}:${root.line}`,
      `SDFormat version "${excerpt(version)}" is not read; expected one of ${VERSIONS.join(', ')} (convert it with gz sdf -p)`,
    );
  }
  const world = child(root, 'world');
  if (!world) {
    const what = child(root, 'model') ? 'a model file, not a world' : 'no <world> element';
    throw new SdfImportError(
      'NO_WORLD',
      `${options.file}:${root.line}`,
      `${what}; expected <sdf><world>…</world></sdf>`,
    );
  }
  const scene: SdfScene = {
    version,
    worldName: world.attrs.name ?? '',
    staticModels: [],
    movingModels: [],
    solids: [],
    skipped: [],
  };
  new SceneWalker(scene, options).world(world);
  return scene;
}

/** Named frames of one scope (the world, or one model), resolved lazily so order does not matter. */
class FrameScope {
  readonly #thunks = new Map<string, () => Pose3>();
  readonly #cache = new Map<string, Pose3>();
  readonly #busy = new Set<string>();

  constructor(
    /** The scope's own frame in the world (identity for the world, the model's pose for a model). */
    readonly own: () => Pose3,
    /** What `relative_to` may name here, for messages. */
    readonly kinds: string,
    readonly ownNames: readonly string[],
  ) {}

  define(name: string, thunk: () => Pose3): void {
    this.#thunks.set(name, thunk);
  }

  resolve(name: string, where: string): Pose3 {
    if (this.ownNames.includes(name)) return this.own();
    const cached = this.#cache.get(name);
    if (cached) return cached;
    const thunk = this.#thunks.get(name);
    if (!thunk) {
      const known = [...this.ownNames, ...this.#thunks.keys()].slice(0, 12).join(', ');
      throw new SdfImportError(
        'BAD_VALUE',
        where,
        `relative_to="${excerpt(name)}" names no ${this.kinds} in this scope; expected one of ${known} (references into nested models, joints and :: names are not supported)`,
      );
    }
    if (this.#busy.has(name))
      throw new SdfImportError(
        'BAD_VALUE',
        where,
        `relative_to="${excerpt(name)}" leads back to itself (a cycle of poses)`,
      );
    this.#busy.add(name);
    const pose = thunk();
    this.#busy.delete(name);
    this.#cache.set(name, pose);
    return pose;
  }
}

class SceneWalker {
  constructor(
    private readonly scene: SdfScene,
    private readonly options: SceneOptions,
  ) {}

  world(world: XmlElement): void {
    const scope = new FrameScope(() => IDENTITY, 'model or frame of the world', ['world']);
    const models = childrenNamed(world, 'model');
    this.defineFrames(world, scope, 'world', () => IDENTITY);
    for (const model of models) {
      const path = `world/model[${model.attrs.name ?? ''}]`;
      scope.define(model.attrs.name ?? '', () => this.poseIn(model, scope, IDENTITY, path));
    }
    for (const include of childrenNamed(world, 'include')) {
      const uri = child(include, 'uri')?.text ?? '';
      this.scene.skipped.push(
        `${this.where(include, 'world/include')}: include of "${excerpt(uri)}" skipped (included models are not read; expand them into the world with gz sdf -p first)`,
      );
    }
    for (const model of models) this.model(model, scope, 'world', false);
  }

  /** A model (and its nested models): static ones give solids, moving ones are listed. */
  private model(model: XmlElement, parent: FrameScope, parentPath: string, parentStatic: boolean): void {
    const name = model.attrs.name ?? '';
    const path = `${parentPath}/model[${name}]`;
    const isStatic = parentStatic || this.flag(child(model, 'static'), `${path}/static`);
    if (!isStatic) {
      this.scene.movingModels.push(path);
      return;
    }
    this.scene.staticModels.push(path);
    const pose = (): Pose3 => parent.resolve(name, this.where(model, path));
    const scope = new FrameScope(pose, 'link, frame or nested model of this model', ['__model__', name]);
    const links = childrenNamed(model, 'link');
    for (const link of links) {
      const linkPath = `${path}/link[${link.attrs.name ?? ''}]`;
      scope.define(link.attrs.name ?? '', () => this.poseIn(link, scope, pose(), linkPath));
    }
    const nested = childrenNamed(model, 'model');
    for (const inner of nested) {
      const innerPath = `${path}/model[${inner.attrs.name ?? ''}]`;
      scope.define(inner.attrs.name ?? '', () => this.poseIn(inner, scope, pose(), innerPath));
    }
    this.defineFrames(model, scope, path, pose);
    for (const link of links) {
      const linkPath = `${path}/link[${link.attrs.name ?? ''}]`;
      const linkPose = scope.resolve(link.attrs.name ?? '', this.where(link, linkPath));
      for (const collision of childrenNamed(link, 'collision')) {
        const collisionPath = `${linkPath}/collision[${collision.attrs.name ?? ''}]`;
        this.collision(collision, this.poseIn(collision, scope, linkPose, collisionPath), collisionPath);
      }
    }
    for (const inner of nested) this.model(inner, scope, path, true);
  }

  /** `<frame name attached_to>`: posed relative to relative_to, else to what it is attached to. */
  private defineFrames(parent: XmlElement, scope: FrameScope, path: string, own: () => Pose3): void {
    for (const frame of childrenNamed(parent, 'frame')) {
      const framePath = `${path}/frame[${frame.attrs.name ?? ''}]`;
      const attached = frame.attrs.attached_to;
      scope.define(frame.attrs.name ?? '', () => {
        const base = attached ? scope.resolve(attached, this.where(frame, framePath)) : own();
        return this.poseIn(frame, scope, base, framePath);
      });
    }
  }

  /** The element's pose in the world: its `<pose>` relative to `relative_to` in `scope`, else to `base`. */
  private poseIn(element: XmlElement, scope: FrameScope, base: Pose3, path: string): Pose3 {
    const pose = child(element, 'pose');
    if (!pose) return base;
    const relativeTo = pose.attrs.relative_to;
    const frame = relativeTo ? scope.resolve(relativeTo, this.where(pose, `${path}/pose`)) : base;
    return compose(frame, this.parsePose(pose, `${path}/pose`));
  }

  private parsePose(pose: XmlElement, path: string): Pose3 {
    const format = pose.attrs.rotation_format ?? 'euler_rpy';
    if (format !== 'euler_rpy' && format !== 'quat_xyzw') {
      throw new SdfImportError(
        'BAD_VALUE',
        this.where(pose, path),
        `rotation_format "${excerpt(format)}"; expected euler_rpy or quat_xyzw`,
      );
    }
    if (pose.text === '') return IDENTITY;
    if (format === 'quat_xyzw') {
      const [x, y, z, qx, qy, qz, qw] = this.numbers(pose, path, 7);
      if (Math.hypot(qx!, qy!, qz!, qw!) === 0)
        throw new SdfImportError('BAD_VALUE', this.where(pose, path), 'the quaternion is zero');
      return fromXyzQuat(x!, y!, z!, qx!, qy!, qz!, qw!);
    }
    const k = pose.attrs.degrees === 'true' ? Math.PI / 180 : 1;
    const [x, y, z, roll, pitch, yaw] = this.numbers(pose, path, 6);
    return fromXyzRpy(x!, y!, z!, roll! * k, pitch! * k, yaw! * k);
  }

  private collision(collision: XmlElement, pose: Pose3, path: string): void {
    const geometry = child(collision, 'geometry');
    const shape = geometry?.children[0];
    if (!geometry || !shape) {
      this.scene.skipped.push(`${this.where(collision, path)}: no geometry`);
      return;
    }
    const shapePath = `${path}/geometry/${shape.name}`;
    const size = (name: string, count: number): number[] => {
      const el = child(shape, name);
      if (!el)
        throw new SdfImportError(
          'BAD_VALUE',
          this.where(shape, `${shapePath}/${name}`),
          `missing; a ${shape.name} needs <${name}>`,
        );
      return this.numbers(el, `${shapePath}/${name}`, count, 0);
    };
    if (shape.name === 'box') {
      const [sx, sy, sz] = size('size', 3);
      this.scene.solids.push({ kind: 'box', pose, half: [sx! / 2, sy! / 2, sz! / 2], path });
    } else if (shape.name === 'cylinder') {
      const [radius] = size('radius', 1);
      const [length] = size('length', 1);
      this.scene.solids.push({ kind: 'cylinder', pose, radius: radius!, halfLength: length! / 2, path });
    } else if (shape.name === 'sphere') {
      this.scene.solids.push({ kind: 'sphere', pose, radius: size('radius', 1)[0]!, path });
    } else if (shape.name === 'mesh') {
      this.mesh(shape, pose, path, shapePath);
    } else {
      const why =
        shape.name === 'plane' ? 'a plane is a floor, not a wall' : 'box, cylinder, sphere and mesh are read';
      this.scene.skipped.push(`${this.where(shape, shapePath)}: ${excerpt(shape.name)} skipped (${why})`);
    }
  }

  /** A mesh as its bounding box (scaled), posed where the mesh's frame is. */
  private mesh(shape: XmlElement, pose: Pose3, path: string, shapePath: string): void {
    const uri = child(shape, 'uri')?.text ?? '';
    const scaleEl = child(shape, 'scale');
    const scale = scaleEl ? this.numbers(scaleEl, `${shapePath}/scale`, 3) : [1, 1, 1];
    const bounds = this.options.meshBounds(uri, shapePath);
    if (typeof bounds === 'string') {
      this.scene.skipped.push(`${this.where(shape, shapePath)}: mesh "${excerpt(uri)}" skipped: ${bounds}`);
      return;
    }
    const centre = [0, 1, 2].map((i) => ((bounds.min[i]! + bounds.max[i]!) / 2) * scale[i]!);
    const half = [0, 1, 2].map((i) => Math.abs(((bounds.max[i]! - bounds.min[i]!) / 2) * scale[i]!));
    const boxPose = compose(pose, fromXyzRpy(centre[0]!, centre[1]!, centre[2]!, 0, 0, 0));
    this.scene.solids.push({
      kind: 'box',
      pose: boxPose,
      half: [half[0]!, half[1]!, half[2]!],
      path,
      fromMesh: true,
    });
  }

  /** `count` finite numbers from the element's text (each ≥ `min` when given). */
  private numbers(element: XmlElement, path: string, count: number, min?: number): number[] {
    const words = element.text.split(/\s+/).filter((w) => w !== '');
    const values = words.map(Number);
    const bad = values.findIndex(
      (v) => !Number.isFinite(v) || Math.abs(v) > MAX_NUMBER || (min !== undefined && v < min),
    );
    if (words.length !== count || bad >= 0) {
      const expected = `${count} number${count > 1 ? 's' : ''}${min !== undefined ? ` ≥ ${min}` : ''} within ±${MAX_NUMBER}`;
      throw new SdfImportError(
        'BAD_VALUE',
        this.where(element, path),
        `expected ${expected}, found "${excerpt(element.text)}"`,
      );
    }
    return values;
  }

  private flag(element: XmlElement | undefined, path: string): boolean {
    if (!element) return false;
    if (['true', '1'].includes(element.text)) return true;
    if (['false', '0'].includes(element.text)) return false;
    throw new SdfImportError(
      'BAD_VALUE',
      this.where(element, path),
      `expected true or false, found "${excerpt(element.text)}"`,
    );
  }

  private where(element: XmlElement, path: string): string {
    return `${this.options.file}:${element.line}: ${path}`;
  }
}

/**
 * No pose or size in an SDF may exceed this, m: a number this large is a typo or a unit slip,
 * and it keeps every later product finite. The map itself is bounded far below by mapCoordinateM.
 */
const MAX_NUMBER = LIMITS.mapCoordinateM.value * 100;
