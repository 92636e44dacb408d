/**
 * A generated floor as the files of a site folder (docs/site-format.md): site.yaml, the
 * map_server YAML and the PGM image. Written as a commissioning engineer would write them, so
 * the loader and `map check` judge them exactly as they judge a real site.
 */
import { stringify } from 'yaml';
import { encodePgm } from '../../src/map/index.js';
import type { Pose2D } from '../../src/ros/index.js';
import type { FloorPlan } from './plan.js';
import type { Placement, Raster } from './raster.js';
import { hoursYaml } from './units.js';

export const MAP_YAML = 'floor.yaml';
export const MAP_IMAGE = 'floor.pgm';

export interface SiteFiles {
  'site.yaml': string;
  [MAP_YAML]: string;
  [MAP_IMAGE]: Uint8Array;
}

const r6 = (v: number): number => Math.round(v * 1e6) / 1e6;
const r3 = (v: number): number => Math.round(v * 1e3) / 1e3;
const pose = (p: Pose2D) => ({ x: r3(p.x), y: r3(p.y), yaw: r6(p.yaw) });

export function siteFiles(id: string, plan: FloorPlan, place: Placement, raster: Raster): SiteFiles {
  return {
    'site.yaml': siteYaml(id, plan, raster),
    [MAP_YAML]: mapYaml(id, place),
    [MAP_IMAGE]: encodePgm(
      { width: raster.width, height: raster.height, maxval: 255, samples: raster.pixels },
      `Generated floor ${id} (${plan.kind}); sim/floors/ draws it, regenerate rather than edit.`,
    ),
  };
}

function mapYaml(id: string, place: Placement): string {
  return [
    `# map_server map of the generated floor ${id}; schema in docs/site-format.md.`,
    `image: ${MAP_IMAGE}`,
    'mode: trinary',
    `resolution: ${place.resolution}`,
    `origin: [${r3(place.originX)}, ${r3(place.originY)}, 0.0]`,
    'negate: 0',
    'occupied_thresh: 0.65',
    'free_thresh: 0.196',
    '',
  ].join('\n');
}

function siteYaml(id: string, plan: FloorPlan, raster: Raster): string {
  const ids = new Set(plan.destinations.map((d) => d.unit.id));
  const doc = {
    id,
    name: `Generated service centre ${id}`,
    map: MAP_YAML,
    timezone: 'Europe/Helsinki',
    dock: pose(raster.toMap(plan.dock)),
    ...(ids.has('info-desk') ? { help_desk: 'info-desk' } : {}),
    destinations: plan.destinations.map(({ unit, pose: p }) => {
      const hours = hoursYaml(unit.hours);
      return {
        id: unit.id,
        name: unit.name,
        aliases: unit.aliases,
        organisation: unit.organisation,
        pose: pose(raster.toMap(p)),
        description: unit.description,
        ...(hours ? { hours } : {}),
        ...(unit.services.length > 0
          ? { services: unit.services.map((s) => ({ id: s.id, ...s.terms })) }
          : {}),
      };
    }),
    elsewhere: [
      {
        id: 'driving-licence',
        fi: ['ajokortti', 'ajokoe'],
        sv: ['körkort', 'körprov'],
        en: ['driving licence', 'driving test'],
        where: {
          fi: 'Ajokorttiasiat hoidetaan Ajovarman palvelupisteissä.',
          sv: 'Körkortsärenden sköts vid Ajovarmas serviceställen.',
          en: 'Driving licences are handled at Ajovarma service points.',
        },
        ...(ids.has('lifts') ? { way: 'lifts' } : {}),
      },
    ],
  };
  const header =
    `# Generated floor ${id}: ${plan.kind}. Drawn by sim/floors/ (medhjalparen sim floors); schema in\n` +
    `# docs/site-format.md.\n${plan.notes.map((n) => `#   ${n}\n`).join('')}` +
    plan.destinations.map((d) => `#   ${d.unit.id}: ${d.where}\n`).join('');
  return header + stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 });
}
