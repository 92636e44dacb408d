import { existsSync, readFileSync } from 'node:fs';

/** Real photographs from Debian packages the tests rely on (scripts/ensure-system-deps.sh). */
export const SKIMAGE_DATA = '/usr/lib/python3/dist-packages/skimage/data';
export const OPENCV_DATA = '/usr/share/doc/opencv-doc/examples/data';

/** The bytes of a Debian test image; a missing one fails the test naming the package to install. */
export function debianImage(path: string): Buffer {
  const pkg = path.startsWith(SKIMAGE_DATA) ? 'python3-skimage' : 'opencv-doc';
  if (!existsSync(path)) {
    throw new Error(
      `test image ${path} is missing: install the Debian package ${pkg} (apt-get install ${pkg})`,
    );
  }
  return readFileSync(path);
}
