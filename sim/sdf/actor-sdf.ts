/**
 * Scripted pedestrians as SDF `<actor>` elements (the gz-sim actor examples' form): the standard
 * walking skin named by its Gazebo Fuel URI (gz-sim fetches it; writing the file downloads
 * nothing) and a looping `walk` trajectory through timed waypoints. Pure text generation.
 */

export interface ActorWaypoint {
  /** s from the loop's start */
  time: number;
  x: number;
  y: number;
  /** rad, unwrapped along the loop so the actor never spins the long way round */
  yaw: number;
}

export interface ActorTrack {
  name: string;
  waypoints: ActorWaypoint[];
}

/** The standard gz walking person, fetched by gz-sim from Gazebo Fuel (this file only names it). */
export const ACTOR_SKIN = 'https://fuel.gazebosim.org/1.0/Mingfei/models/actor/tip/files/meshes/walk.dae';
/** Height of the skin's origin above the floor, m (as in the gz actor examples). */
const SKIN_Z = 1.0;

/** The `<actor>` element of one track. */
export function actorSdf(track: ActorTrack, index: number): string {
  const waypoints = track.waypoints.map(
    (w) =>
      `          <waypoint><time>${fixed(w.time)}</time><pose>${fixed(w.x)} ${fixed(w.y)} ${SKIN_Z} 0 0 ${fixed(w.yaw)}</pose></waypoint>`,
  );
  return [
    `    <actor name="${track.name}">`,
    `      <skin><filename>${ACTOR_SKIN}</filename><scale>1.0</scale></skin>`,
    `      <animation name="walk"><filename>${ACTOR_SKIN}</filename><interpolate_x>true</interpolate_x></animation>`,
    // tension 1 makes the spline's tangents zero: the actor walks the straight legs planned, never a curve through a wall.
    `      <script><loop>true</loop><delay_start>0</delay_start><auto_start>true</auto_start>`,
    `        <trajectory id="${index}" type="walk" tension="1">`,
    ...waypoints,
    `        </trajectory>`,
    `      </script>`,
    `    </actor>`,
  ].join('\n');
}

function fixed(v: number): string {
  const s = Number(v.toFixed(3)).toString();
  return s === '-0' ? '0' : s;
}
