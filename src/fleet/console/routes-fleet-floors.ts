/**
 * Each site's floor for the fleet console's map (viewer): the occupancy image and the desks and
 * dock, in the robot console's shapes, so the page draws it with the robot console's map view.
 * Encoded once per site when first asked for (a floor's PNG is a few hundred kilobytes).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { mapImage } from '../../console/bridge/map-image.js';
import { ApiError } from '../../console/server/errors.js';
import { siteReply } from '../../console/server/site-reply.js';
import type { Site } from '../../map/index.js';
import { DEFAULT_ROBOT } from '../../robot-description.js';
import { FloorReply, SiteParams } from './schemas.js';

export const FLOOR_ROUTES = {
  /** The ids of the sites that have a floor to draw. */
  list: '/api/fleet/floors',
  floor: '/api/fleet/sites/:site/floor',
} as const;

export function fleetFloorRoutes(sites: readonly Site[]): FastifyPluginAsyncTypebox {
  const floors = new Map<string, FloorReply>();
  const floorOf = (site: Site): FloorReply => {
    let floor = floors.get(site.id);
    if (!floor) {
      floor = { site: siteReply(site, DEFAULT_ROBOT.radius), map: mapImage(site.map.toMsg()) };
      floors.set(site.id, floor);
    }
    return floor;
  };
  return async (app) => {
    app.get(
      FLOOR_ROUTES.list,
      { config: { access: 'viewer' }, schema: { response: { 200: Type.Array(Type.String()) } } },
      async () => sites.map((s) => s.id),
    );

    app.get(
      FLOOR_ROUTES.floor,
      {
        config: { access: 'viewer' },
        schema: { params: SiteParams, response: { 200: FloorReply } },
      },
      async (request) => {
        const site = sites.find((s) => s.id === request.params.site);
        if (!site) {
          throw new ApiError(
            404,
            'unknown_site',
            `no site '${request.params.site}' in the fleet`,
            'params.site',
          );
        }
        return floorOf(site);
      },
    );
  };
}
