/**
 * An imported world as the files of a site folder (docs/site-format.md): the map image, its
 * map_server YAML and a site.yaml skeleton with the dock and no destinations. The site format
 * requires at least one destination, and an importer cannot know where the desks are, so it
 * writes none and leaves `map check` to say so; a commented template shows what to add.
 */
import { stringify } from 'yaml';
import { CELL_FREE, encodePgm, type GridMap } from '../../src/map/index.js';

export interface ImportedSiteFiles {
  readonly [file: string]: string | Uint8Array;
}

const FREE_PX = 254;
const OCCUPIED_PX = 0;

const r6 = (v: number): number => Math.round(v * 1e6) / 1e6;

export interface ImportedSiteSpec {
  /** The site's id (kebab-case), also the map files' name. */
  id: string;
  /** What it was imported from, for the files' header comments. */
  source: string;
  map: GridMap;
  dock: { x: number; y: number; yaw: number };
}

export function importedSiteFiles(spec: ImportedSiteSpec): ImportedSiteFiles {
  const mapYaml = `${spec.id}.yaml`;
  const image = `${spec.id}.pgm`;
  return {
    'site.yaml': siteYaml(spec, mapYaml),
    [mapYaml]: mapYamlText(spec, image),
    [image]: mapImage(spec),
  };
}

function mapImage({ map, source }: ImportedSiteSpec): Uint8Array {
  const samples = new Uint8Array(map.width * map.height);
  // The image's top row is the map's last (northernmost) row.
  for (let row = 0; row < map.height; row++) {
    const top = (map.height - 1 - row) * map.width;
    for (let col = 0; col < map.width; col++) {
      samples[top + col] = map.data[row * map.width + col] === CELL_FREE ? FREE_PX : OCCUPIED_PX;
    }
  }
  return encodePgm(
    { width: map.width, height: map.height, maxval: 255, samples },
    `Imported by medhjalparen sim import-sdf from ${oneLine(source)}`,
  );
}

function mapYamlText({ map, source }: ImportedSiteSpec, image: string): string {
  return [
    `# map_server map imported from ${oneLine(source)} by medhjalparen sim import-sdf; schema in docs/site-format.md.`,
    `image: ${image}`,
    'mode: trinary',
    `resolution: ${map.resolution}`,
    `origin: [${r6(map.originX)}, ${r6(map.originY)}, 0.0]`,
    'negate: 0',
    'occupied_thresh: 0.65',
    'free_thresh: 0.196',
    '',
  ].join('\n');
}

function siteYaml(spec: ImportedSiteSpec, mapYaml: string): string {
  const doc = {
    id: spec.id,
    name: spec.id,
    map: mapYaml,
    timezone: 'Europe/Helsinki',
    dock: { x: r6(spec.dock.x), y: r6(spec.dock.y), yaw: spec.dock.yaw },
    destinations: [],
  };
  const header = [
    `# Imported from ${oneLine(spec.source)} by medhjalparen sim import-sdf: the map is the world's`,
    '# static collisions cut at the lidar height; the dock is the free spot with the most room.',
    '# Next: set name and timezone, move the dock to the charger, add destinations (at least one;',
    '# docs/site-format.md), then run: medhjalparen map check <this folder>',
  ].join('\n');
  const template = [
    '# For example, in place of "destinations: []":',
    '# destinations:',
    '#   - id: info-desk',
    '#     name: { fi: Neuvonta, sv: Rådgivning, en: Information desk }',
    '#     aliases: { fi: [neuvonta], sv: [rådgivning], en: [information] }',
    '#     organisation: City of Espoo',
    '#     pose: { x: 0.0, y: 0.0, yaw: 0.0 }',
  ].join('\n');
  return `${header}\n${stringify(doc, { lineWidth: 0 })}${template}\n`;
}

/** A name for a comment line: no line breaks or control characters. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return s.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
