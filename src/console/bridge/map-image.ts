/**
 * The occupancy grid as the pages draw it: a greyscale PNG (free white, occupied black, unknown
 * grey), row 0 at the top, with the grid's geometry beside it. Encoded once per /map message.
 */
import { PNG } from 'pngjs';
import type { OccupancyGrid } from '../../ros/index.js';
import { quaternionToYaw } from '../../ros/index.js';
import type { MapImage } from '../protocol.js';

const FREE = 255;
const OCCUPIED = 0;
const UNKNOWN = 160;
/** Cells at or above this occupancy (0..100) draw as walls, as map_server's occupied_thresh 0.65. */
const OCCUPIED_AT = 65;

function shade(value: number): number {
  if (value < 0) return UNKNOWN;
  return value >= OCCUPIED_AT ? OCCUPIED : FREE;
}

/** The grid as a data: URL PNG and its placement in the map frame. */
export function mapImage(grid: OccupancyGrid): MapImage {
  const { width, height, resolution, origin } = grid.info;
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  const pixels = Buffer.alloc(width * height);
  for (let row = 0; row < height; row++) {
    // The grid's row 0 is the bottom (y = origin); an image's row 0 is the top.
    const src = row * width;
    const dst = (height - 1 - row) * width;
    for (let col = 0; col < width; col++) pixels[dst + col] = shade(grid.data[src + col]!);
  }
  png.data = pixels;
  const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
  return {
    width,
    height,
    resolution,
    origin: { x: origin.position.x, y: origin.position.y, yaw: quaternionToYaw(origin.orientation) },
    png: `data:image/png;base64,${bytes.toString('base64')}`,
  };
}
