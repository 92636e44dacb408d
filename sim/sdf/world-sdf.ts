/**
 * A site as a Gazebo (gz-sim) world in SDFormat 1.9: the floor's walls extruded from its
 * occupancy grid (merged into few boxes), a marker per destination named after it, the robot as
 * a model matching its description (differential drive, a 2D lidar and the rear camera, with the
 * gz-sim system plugins a user would load), and the ros_gz_bridge mapping for the robot's topics.
 * Pure text generation: nothing here reads or writes files.
 */
import type { Site } from '../../src/map/index.js';
import type { RobotDescription } from '../../src/robot-description.js';
import { REAR_CAMERA } from '../../src/perception/camera-model.js';
import { actorSdf, type ActorTrack } from './actor-sdf.js';
import { wallBoxes, type CellBox } from './wall-boxes.js';

export interface WorldSdfOptions {
  /** Wall height, m. Default 2.2. */
  wallHeight?: number;
  /** Name of the robot's model (its gz topics are under /model/<name>/). Default 'medhjalparen'. */
  robotName?: string;
  /** The map's wall boxes, when the caller has them already (wallBoxes(site.map)). */
  boxes?: readonly CellBox[];
  /** Scripted pedestrians (sim/sdf/actors.ts pedestrianTracks), written as <actor>s. */
  actors?: readonly ActorTrack[];
}

/** Wheel radius of the exported robot, m (the description has none: a typical 160 mm wheel). */
const WHEEL_RADIUS = 0.08;

/** The world file's text. */
export function worldSdf(site: Site, robot: RobotDescription, options: WorldSdfOptions = {}): string {
  const wallHeight = options.wallHeight ?? 2.2;
  const name = options.robotName ?? 'medhjalparen';
  const boxes = options.boxes ?? wallBoxes(site.map);
  return [
    `<?xml version="1.0" ?>`,
    `<!-- ${xmlText(site.name)}: exported by medhjalparen sim export-sdf from ${boxes.length} wall boxes. -->`,
    `<sdf version="1.9">`,
    `  <world name="${xmlName(site.id)}">`,
    `    <physics name="1ms" type="ignored"><max_step_size>0.001</max_step_size><real_time_factor>1.0</real_time_factor></physics>`,
    plugin('gz-sim-physics-system', 'gz::sim::systems::Physics'),
    plugin('gz-sim-user-commands-system', 'gz::sim::systems::UserCommands'),
    plugin('gz-sim-scene-broadcaster-system', 'gz::sim::systems::SceneBroadcaster'),
    plugin('gz-sim-sensors-system', 'gz::sim::systems::Sensors', '<render_engine>ogre2</render_engine>'),
    `    <light type="directional" name="sun"><cast_shadows>false</cast_shadows><pose>0 0 10 0 0 0</pose><direction>-0.5 0.1 -0.9</direction></light>`,
    groundPlane(site),
    wallsModel(site, boxes, wallHeight),
    ...site.destinations.map((d) => deskMarker(d.id, d.pose.x, d.pose.y, d.pose.yaw)),
    ...(options.actors ?? []).map((track, i) => actorSdf(track, i)),
    robotModel(name, robot, site.dock),
    `  </world>`,
    `</sdf>`,
    '',
  ].join('\n');
}

/** The ros_gz_bridge parameter file for the exported robot (YAML list of topic mappings). */
export function bridgeYaml(options: Pick<WorldSdfOptions, 'robotName'> = {}): string {
  const name = options.robotName ?? 'medhjalparen';
  const rows: Array<[string, string, string, string, 'ROS_TO_GZ' | 'GZ_TO_ROS']> = [
    ['/clock', '/clock', 'rosgraph_msgs/msg/Clock', 'gz.msgs.Clock', 'GZ_TO_ROS'],
    ['/cmd_vel', `/model/${name}/cmd_vel`, 'geometry_msgs/msg/Twist', 'gz.msgs.Twist', 'ROS_TO_GZ'],
    ['/odom', `/model/${name}/odometry`, 'nav_msgs/msg/Odometry', 'gz.msgs.Odometry', 'GZ_TO_ROS'],
    ['/tf', `/model/${name}/tf`, 'tf2_msgs/msg/TFMessage', 'gz.msgs.Pose_V', 'GZ_TO_ROS'],
    ['/scan', `/model/${name}/scan`, 'sensor_msgs/msg/LaserScan', 'gz.msgs.LaserScan', 'GZ_TO_ROS'],
    [
      '/rear_camera/image_raw',
      `/model/${name}/rear_camera`,
      'sensor_msgs/msg/Image',
      'gz.msgs.Image',
      'GZ_TO_ROS',
    ],
  ];
  return rows
    .map(
      ([ros, gz, rosType, gzType, direction]) =>
        `- ros_topic_name: "${ros}"\n  gz_topic_name: "${gz}"\n  ros_type_name: "${rosType}"\n` +
        `  gz_type_name: "${gzType}"\n  direction: ${direction}\n`,
    )
    .join('');
}

function plugin(filename: string, name: string, body = ''): string {
  return `    <plugin filename="${filename}" name="${name}">${body}</plugin>`;
}

function groundPlane(site: Site): string {
  const m = site.map;
  const cx = m.originX + m.widthM / 2;
  const cy = m.originY + m.heightM / 2;
  const plane = `<plane><normal>0 0 1</normal><size>${num(m.widthM)} ${num(m.heightM)}</size></plane>`;
  return [
    `    <model name="ground_plane"><static>true</static><pose>${num(cx)} ${num(cy)} 0 0 0 0</pose>`,
    `      <link name="link"><collision name="collision"><geometry>${plane}</geometry></collision>`,
    `        <visual name="visual"><geometry>${plane}</geometry></visual></link>`,
    `    </model>`,
  ].join('\n');
}

function wallsModel(site: Site, boxes: readonly CellBox[], height: number): string {
  const m = site.map;
  const res = m.resolution;
  const shapes = boxes.map((b, i) => {
    const sx = (b.col1 - b.col0) * res;
    const sy = (b.row1 - b.row0) * res;
    const cx = m.originX + b.col0 * res + sx / 2;
    const cy = m.originY + b.row0 * res + sy / 2;
    const pose = `<pose>${num(cx)} ${num(cy)} ${num(height / 2)} 0 0 0</pose>`;
    const geometry = `<geometry><box><size>${num(sx)} ${num(sy)} ${num(height)}</size></box></geometry>`;
    return `        <collision name="wall_${i}">${pose}${geometry}</collision><visual name="wall_${i}_visual">${pose}${geometry}</visual>`;
  });
  return [
    `    <model name="walls"><static>true</static><link name="link">`,
    ...shapes,
    `    </link></model>`,
  ].join('\n');
}

/** A desk's marker: a post with a plate where the robot stops, visual only (the map has the desk). */
function deskMarker(id: string, x: number, y: number, yaw: number): string {
  return [
    `    <model name="desk_${xmlName(id)}"><static>true</static><pose>${num(x)} ${num(y)} 0 0 0 ${num(yaw)}</pose>`,
    `      <link name="marker"><visual name="post"><pose>0 0 0.75 0 0 0</pose><geometry><cylinder><radius>0.03</radius><length>1.5</length></cylinder></geometry></visual>`,
    `        <visual name="plate"><pose>0 0 1.55 0 0 0</pose><geometry><box><size>0.05 0.4 0.2</size></box></geometry></visual></link>`,
    `    </model>`,
  ].join('\n');
}

function robotModel(
  name: string,
  robot: RobotDescription,
  dock: { x: number; y: number; yaw: number },
): string {
  const r = robot.radius;
  const half = robot.wheelBase / 2;
  const cam = REAR_CAMERA;
  const wheel = (side: 'left' | 'right', y: number) =>
    [
      `      <link name="${side}_wheel"><pose>0 ${num(y)} ${num(WHEEL_RADIUS)} -1.5708 0 0</pose>`,
      `        <inertial><mass>1.0</mass><inertia><ixx>0.002</ixx><iyy>0.002</iyy><izz>0.003</izz></inertia></inertial>`,
      `        <collision name="collision"><geometry><cylinder><radius>${WHEEL_RADIUS}</radius><length>0.04</length></cylinder></geometry></collision>`,
      `        <visual name="visual"><geometry><cylinder><radius>${WHEEL_RADIUS}</radius><length>0.04</length></cylinder></geometry></visual></link>`,
      `      <joint name="${side}_wheel_joint" type="revolute"><parent>base_link</parent><child>${side}_wheel</child><axis><xyz>0 0 1</xyz></axis></joint>`,
    ].join('\n');
  return [
    `    <model name="${xmlName(name)}"><pose>${num(dock.x)} ${num(dock.y)} 0 0 0 ${num(dock.yaw)}</pose>`,
    `      <link name="base_link"><pose>0 0 ${num(WHEEL_RADIUS)} 0 0 0</pose>`,
    `        <inertial><mass>25.0</mass><inertia><ixx>1.0</ixx><iyy>1.0</iyy><izz>1.2</izz></inertia></inertial>`,
    `        <collision name="body"><pose>0 0 0.2 0 0 0</pose><geometry><cylinder><radius>${num(r)}</radius><length>0.3</length></cylinder></geometry></collision>`,
    `        <visual name="body_visual"><pose>0 0 0.5 0 0 0</pose><geometry><cylinder><radius>${num(r)}</radius><length>0.9</length></cylinder></geometry></visual>`,
    `        <collision name="caster"><pose>${num(-r * 0.7)} 0 -0.04 0 0 0</pose><geometry><sphere><radius>0.04</radius></sphere></geometry><surface><friction><ode><mu>0</mu><mu2>0</mu2></ode></friction></surface></collision>`,
    `        <sensor name="lidar" type="gpu_lidar"><pose>0 0 ${num(robot.lidar.height - WHEEL_RADIUS)} 0 0 0</pose><topic>/model/${xmlName(name)}/scan</topic><update_rate>${num(robot.lidar.rate)}</update_rate>`,
    `          <lidar><scan><horizontal><samples>${robot.lidar.beams}</samples><resolution>1</resolution><min_angle>-3.14159</min_angle><max_angle>3.14159</max_angle></horizontal></scan>`,
    `            <range><min>${num(robot.lidar.rangeMin)}</min><max>${num(robot.lidar.rangeMax)}</max><resolution>0.01</resolution></range></lidar><always_on>true</always_on><visualize>false</visualize></sensor>`,
    `        <sensor name="rear_camera" type="camera"><pose>${num(cam.mountX)} ${num(cam.mountY)} ${num(cam.mountHeightM - WHEEL_RADIUS)} 0 ${num(-cam.tiltRad)} ${num(cam.mountYawRad)}</pose><topic>/model/${xmlName(name)}/rear_camera</topic><update_rate>15</update_rate>`,
    `          <camera><horizontal_fov>${num(cam.hfovRad)}</horizontal_fov><image><width>${cam.imageWidth}</width><height>${cam.imageHeight}</height></image><clip><near>0.1</near><far>20</far></clip></camera><always_on>true</always_on></sensor></link>`,
    wheel('left', half),
    wheel('right', -half),
    `      <plugin filename="gz-sim-diff-drive-system" name="gz::sim::systems::DiffDrive"><left_joint>left_wheel_joint</left_joint><right_joint>right_wheel_joint</right_joint>`,
    `        <wheel_separation>${num(robot.wheelBase)}</wheel_separation><wheel_radius>${WHEEL_RADIUS}</wheel_radius><max_linear_acceleration>${num(robot.maxLinearAccel)}</max_linear_acceleration>`,
    `        <topic>/model/${xmlName(name)}/cmd_vel</topic><odom_topic>/model/${xmlName(name)}/odometry</odom_topic><tf_topic>/model/${xmlName(name)}/tf</tf_topic><frame_id>odom</frame_id><child_frame_id>base_link</child_frame_id><odom_publish_frequency>50</odom_publish_frequency></plugin>`,
    `      <plugin filename="gz-sim-joint-state-publisher-system" name="gz::sim::systems::JointStatePublisher"/>`,
    `    </model>`,
  ].join('\n');
}

/** A number as SDF writes it: up to 6 decimals, no trailing zeros, never "-0". */
function num(v: number): string {
  const s = Number(v.toFixed(6)).toString();
  return s === '-0' ? '0' : s;
}

/** An SDF name: letters, digits, _ and - only (a site's id is kebab-case already). */
function xmlName(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Text for an XML comment: no "--", no markup, no control characters. */
function xmlText(s: string): string {
  const printable = [...s].map((ch) => (ch.charCodeAt(0) < 0x20 ? ' ' : ch)).join('');
  return printable.replace(/-{2,}/g, '-').replace(/[<>&]/g, ' ');
}
