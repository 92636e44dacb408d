/**
 * The composition root: which nodes make up the robot and what each is given. It is handed a
 * graph (embedded or ROS 2) and a world (the simulator or a real robot's devices) and knows
 * nothing else about either: the same controller runs on both, and only what is on the other
 * end of the topics changes.
 */
import {
  createGuideActionServer,
  NAVIGATION_STACKS,
  internalNavigation,
  nav2Navigation,
  startGuideMission,
  type NavigationStack,
} from '../../behaviors/index.js';
import { startAmcl, startDeadReckoning } from '../localization/index.js';
import type { Costmap, Site } from '../map/index.js';
import { DEFAULT_INFLATION, buildCostmap } from '../map/index.js';
import { createDockServer, createNavigator, createSpinServer } from '../navigation/index.js';
import {
  createDetectorNode,
  createFollowNode,
  createLidarPeopleNode,
  createPeopleCountNode,
  REAR_CAMERA,
  type CameraModel,
  type Detector,
  type DetectorNode,
  type FrameSource,
  type PeopleCountNode,
} from '../perception/index.js';
import type { GraphContext, ParameterValue, RosNode } from '../ros/index.js';
import { DEFAULT_ROBOT, type RobotDescription } from '../robot-description.js';
import { createSafetyGate, safetyParamsFromRobot, type SafetyGate } from '../safety/index.js';
import { lazyDirectionsBook, wayFromAnywhere } from './directions-book.js';
import type { StartedWorld, World } from './world.js';

/**
 * A real rear camera: frames from `source` through `detector` onto the rear detections topic,
 * where the follow node tracks the customer. Whoever publishes those detections otherwise (the
 * simulator's camera model) must then be told not to.
 */
export interface RearCameraOptions {
  source: FrameSource;
  /** Stays the caller's to release, after the robot has stopped. */
  detector: Detector;
  /**
   * The camera the tracker assumes (default REAR_CAMERA): boxes are scaled from the frame's pixels
   * to its image size, and the follow node ranges faces with it.
   */
  camera?: CameraModel;
}

/** Parameter overrides by node name, as a launch file gives them (e.g. { navigator: { timeout: 300 } }). */
export type NodeParams = Readonly<Record<string, Readonly<Record<string, ParameterValue>>>>;

/** What the robot is built from; the world and the graph are the caller's choice. */
export interface BaseSetup {
  graph: GraphContext;
  world: World;
  /** The body the safety gate, the costmap and the controllers all assume (default DEFAULT_ROBOT). */
  robot?: RobotDescription;
  params?: NodeParams;
}

export interface RobotSetup extends BaseSetup {
  site: Site;
  /** Starts the 'rear_camera_detector' node on a real camera. */
  rearCamera?: RearCameraOptions;
  /**
   * Who navigates (default 'internal'): the robot's own navigator and behaviour server, or a Nav2
   * running beside the robot ('nav2'): the mission sends NavigateToPose to its bt_navigator on
   * /navigate_to_pose, Spin to its behavior_server on /spin and DockRobot to its docking_server
   * on /dock_robot, and the robot starts neither of its own. Nav2's velocity still reaches the
   * base only through the safety gate, on the gate's `safety.nav_cmd_topic` (docs/navigation.md,
   * "Running beside Nav2").
   */
  navigation?: NavigationStack;
}

export interface RunningRobot {
  /**
   * Stops every node's work, then the world's: the safety gate's last word is a zero command and
   * the devices are let go with their motors stopped. Resolves once the rear camera's detector
   * and the world's devices have let go.
   */
  stop(): Promise<void>;
  /** The rear camera's detector node, when the robot has one: its counts, and when it ended. */
  readonly rearCamera?: DetectorNode;
  /** How busy the floor is, from the rear camera's detections: counts only. */
  readonly peopleCount: PeopleCountNode;
}

/**
 * Starts the guide robot on `graph` in `world`: the world's nodes, then map server, safety gate,
 * people detector (when the world has a lidar), navigator and behaviour server (turning on the
 * spot and docking; not with `navigation: 'nav2'`), customer follow, people count, the rear
 * camera's detector when there is a real one, and the guide mission. A world without a localiser gets AMCL on the
 * site's map from the dock, or dead reckoning from the dock when it has no lidar.
 */
export async function startRobot(setup: RobotSetup): Promise<RunningRobot> {
  const { graph, site } = setup;
  const stack = navigationStack(setup.navigation);
  const robot = setup.robot ?? DEFAULT_ROBOT;
  const nodes: RosNode[] = [];
  const node = (name: string) => {
    const n = graph.createNode(name, '/', { parameterOverrides: setup.params?.[name] ?? {} });
    nodes.push(n);
    return n;
  };
  const world = await setup.world.start(graph, { robot, params: setup.params ?? {} });
  const localizer = startLocalizer(setup.world, site, node);

  node('map_server')
    .createPublisher('nav_msgs/msg/OccupancyGrid', '/map', { qos: { durability: 'transient_local' } })
    .publish(site.map.toMsg(graph.now()));
  const gate = startSafetyGate(node('safety_gate'), setup.world, robot);
  const costmap = buildCostmap(site.map, site.zones, {
    ...DEFAULT_INFLATION,
    inscribed_radius: robot.radius,
  });
  // People from the lidar, on /people in map (the navigator slows for them, the console shows
  // them): whenever the world has a lidar, whichever world it is.
  const peopleDetector = setup.world.provides.scan
    ? createLidarPeopleNode(node('people_detector'), { map: site.map })
    : undefined;
  const ownNavigation = stack === 'internal' ? startOwnNavigation(node, costmap, robot, site) : undefined;

  // The customer-follow signal from the rear camera's face detections (real or simulated).
  // One camera model for the detector's boxes and the follow node's ranges.
  const camera = setup.rearCamera?.camera ?? REAR_CAMERA;
  const follow = createFollowNode(node('customer_follow'), { camera });
  const peopleCount = createPeopleCountNode(node('people_count'));
  const rearCamera = setup.rearCamera;
  // Not in `nodes`: it is destroyed last, once its source has let go (see stop()).
  const detectorNode = rearCamera
    ? graph.createNode('rear_camera_detector', '/', {
        parameterOverrides: setup.params?.['rear_camera_detector'] ?? {},
      })
    : undefined;
  const detector =
    rearCamera && detectorNode
      ? createDetectorNode(detectorNode, { source: rearCamera.source, detector: rearCamera.detector, camera })
      : undefined;
  // Directions in words from the dock, on the navigator's own costmap: planned when first asked for.
  const directions = lazyDirectionsBook(site, { robot, costmap });
  const missionNode = node('guide_mission');
  const navigation = stack === 'nav2' ? nav2Navigation(missionNode) : internalNavigation(missionNode);
  const wayFrom = wayFromAnywhere(site, { robot, costmap });
  const mission = startGuideMission(missionNode, { site, directions, navigation, robot, wayFrom });
  // The mission as a ROS 2 action (/guide) for programs, beside the kiosk's topic.
  const guideAction = createGuideActionServer(node('guide_action'));

  return {
    async stop() {
      guideAction.stop();
      mission.stop();
      follow.stop();
      peopleCount.stop();
      ownNavigation?.stop();
      peopleDetector?.stop();
      gate.stop();
      localizer?.stop();
      for (const n of nodes.reverse()) n.destroy();
      // Awaited: a frame in the detector may take a while, and the source's decoder (ffmpeg)
      // must have exited before the caller releases the detector or the process ends.
      await stopAll(world, detector);
      detectorNode?.destroy();
    },
    ...(detector ? { rearCamera: detector } : {}),
    peopleCount,
  };
}

/** RobotSetup.navigation, checked: a caller in plain JavaScript (a CLI flag) may pass anything. */
function navigationStack(value: unknown): NavigationStack {
  if (value === undefined) return 'internal';
  const found = NAVIGATION_STACKS.find((s) => s === value);
  if (found) return found;
  throw new RangeError(
    `RobotSetup.navigation: expected one of ${NAVIGATION_STACKS.join(', ')}, found ${JSON.stringify(String(value).slice(0, 40))}`,
  );
}

/**
 * The robot's own navigator, and the parts of Nav2's behaviour and docking servers the mission
 * uses: turning, and the final approach onto the dock, both on the behaviour server's node.
 */
function startOwnNavigation(
  node: (name: string) => RosNode,
  costmap: Costmap,
  robot: RobotDescription,
  site: Site,
): { stop(): void } {
  const navigator = createNavigator(node('navigator'), { costmap, robot, zones: site.zones });
  const behaviorServer = node('behavior_server');
  const spin = createSpinServer(behaviorServer, { robot });
  const dock = createDockServer(behaviorServer, { robot, costmap });
  return {
    stop() {
      dock.stop();
      spin.stop();
      navigator.stop();
    },
  };
}

/** A robot that only drives by hand: the workshop bring-up of a base, still behind the safety gate. */
export interface RunningBase {
  readonly gate: SafetyGate;
  stop(): Promise<void>;
}

/**
 * Starts `world` and the safety gate only, for driving the base by hand on /cmd_vel_teleop (the
 * `base` command). Every command still passes the gate: e-stop latch, deadman timeout, limits,
 * and the stop zone whenever the world has a lidar.
 */
export async function startBaseBringUp(setup: BaseSetup): Promise<RunningBase> {
  const robot = setup.robot ?? DEFAULT_ROBOT;
  const world = await setup.world.start(setup.graph, { robot, params: setup.params ?? {} });
  const gateNode = setup.graph.createNode('safety_gate', '/', {
    parameterOverrides: setup.params?.['safety_gate'] ?? {},
  });
  const gate = startSafetyGate(gateNode, setup.world, robot);
  return {
    gate,
    async stop() {
      gate.stop();
      gateNode.destroy();
      await world.stop();
    },
  };
}

/**
 * The localiser the world does not bring: AMCL on the site's map when there is a lidar (initial
 * pose at the dock; the `amcl` node's initial_pose.* parameters override it), else dead reckoning.
 */
function startLocalizer(
  world: World,
  site: Site,
  node: (name: string) => RosNode,
): { stop(): void } | undefined {
  if (world.provides.localization) return undefined;
  if (world.provides.scan) return startAmcl(node('amcl'), { map: site.map, initialPose: site.dock });
  return startDeadReckoning(node('localizer'), site.dock);
}

/** The gate sized for this robot's body; it insists on fresh scans whenever the world has a lidar. */
function startSafetyGate(node: RosNode, world: World, robot: RobotDescription): SafetyGate {
  return createSafetyGate(node, { ...safetyParamsFromRobot(robot), require_scan: world.provides.scan });
}

async function stopAll(world: StartedWorld, detector: DetectorNode | undefined): Promise<void> {
  await Promise.all([world.stop(), detector?.stop()]);
}
