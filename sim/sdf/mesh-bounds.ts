/**
 * The axis-aligned bounding box of a mesh file, in the mesh's own frame: STL (binary or ASCII)
 * and Wavefront OBJ. The importer puts a mesh on the map as this box, so only the vertices are
 * read, in one pass, never a triangle list.
 */

export interface Bounds3 {
  min: [number, number, number];
  max: [number, number, number];
}

/** Bounds of the mesh in `bytes`, by the file's extension; a string says why it cannot be read. */
export function meshBounds(bytes: Buffer, fileName: string): Bounds3 | string {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'stl') return isBinaryStl(bytes) ? binaryStlBounds(bytes) : textBounds(bytes, STL_VERTEX);
  if (ext === 'obj') return textBounds(bytes, OBJ_VERTEX);
  return `a .${ext} mesh cannot be read (STL and OBJ can); convert it or give the collision a box`;
}

/** A binary STL is exactly 84 + 50 × (its declared triangle count) bytes; an ASCII one almost never is. */
function isBinaryStl(bytes: Buffer): boolean {
  if (bytes.length < 84) return false;
  return bytes.length === 84 + 50 * bytes.readUInt32LE(80);
}

function binaryStlBounds(bytes: Buffer): Bounds3 | string {
  const box = emptyBounds();
  const triangles = bytes.readUInt32LE(80);
  for (let t = 0; t < triangles; t++) {
    // Each triangle: a normal (3 floats), three vertices (3 floats each), 2 attribute bytes.
    for (let v = 0; v < 3; v++) {
      const at = 84 + t * 50 + 12 + v * 12;
      extend(box, bytes.readFloatLE(at), bytes.readFloatLE(at + 4), bytes.readFloatLE(at + 8));
    }
  }
  return finished(box);
}

const NUMBER = String.raw`([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)`;
const STL_VERTEX = new RegExp(String.raw`^\s*vertex\s+${NUMBER}\s+${NUMBER}\s+${NUMBER}`, 'gm');
const OBJ_VERTEX = new RegExp(String.raw`^\s*v\s+${NUMBER}\s+${NUMBER}\s+${NUMBER}`, 'gm');

function textBounds(bytes: Buffer, vertex: RegExp): Bounds3 | string {
  const box = emptyBounds();
  for (const m of bytes.toString('latin1').matchAll(vertex))
    extend(box, Number(m[1]), Number(m[2]), Number(m[3]));
  return finished(box);
}

function emptyBounds(): Bounds3 & { count: number; bad: boolean } {
  return {
    min: [Infinity, Infinity, Infinity],
    max: [-Infinity, -Infinity, -Infinity],
    count: 0,
    bad: false,
  };
}

function extend(box: Bounds3 & { count: number; bad: boolean }, x: number, y: number, z: number): void {
  if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
    box.bad = true;
    return;
  }
  box.count++;
  const p = [x, y, z];
  for (let i = 0; i < 3; i++) {
    box.min[i] = Math.min(box.min[i]!, p[i]!);
    box.max[i] = Math.max(box.max[i]!, p[i]!);
  }
}

function finished(box: Bounds3 & { count: number; bad: boolean }): Bounds3 | string {
  if (box.bad) return 'the mesh has a vertex that is not a finite number';
  if (box.count === 0) return 'the mesh has no vertices';
  return { min: box.min, max: box.max };
}
