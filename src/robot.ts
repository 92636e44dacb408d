/**
 * The composition root: which nodes make up the robot and what each is given. The same
 * controller runs on the simulator, the firmware or ROS 2; only this wiring (and what is on the
 * other end of the topics) changes.
 */
import { startGuideMission } from '../behaviors/index.js';
import type { Site } from './map/index.js';
import { DEFAULT_INFLATION, buildCostmap } from './map/index.js';
import { createNavigator, createSpinServer } from './navigation/index.js';
import {
  createDetectorNode,
  createFollowNode,
  createPeopleCountNode,
  REAR_CAMERA,
  type CameraModel,
  type Detector,
  type DetectorNode,
  type FrameSource,
  type PeopleCountNode,
} from './perception/index.js';
import type { EmbeddedContext, ParameterValue } from './ros/index.js';
import { DEFAULT_ROBOT, type RobotDescription } from './robot-description.js';
import { createSafetyGate } from './safety/index.js';

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

export interface RobotOptions {
  robot?: RobotDescription;
  /** Parameter overrides by node name are given to the EmbeddedContext instead. */
  params?: Record<string, ParameterValue>;
  /** Starts the 'rear_camera_detector' node on a real camera. */
  rearCamera?: RearCameraOptions;
}

export interface RunningRobot {
  /**
   * Stops every node's work; the safety gate's last word is a zero command. The control nodes
   * stop at once; the promise resolves when the rear camera's detector has let go of its source
   * (a caller with no rear camera may ignore it).
   */
  stop(): Promise<void>;
  /** The rear camera's detector node, when the robot has one: its counts, and when it ended. */
  readonly rearCamera?: DetectorNode;
  /** How busy the floor is, from the rear camera's detections: counts only. */
  readonly peopleCount: PeopleCountNode;
}

/**
 * Starts the robot's nodes on a node graph: map server, safety gate, navigator, behaviour server
 * (turning on the spot), customer follow, people count, the rear camera's detector when there is
 * a real one, and the guide mission.
 */
export function startRobot(ctx: EmbeddedContext, site: Site, options: RobotOptions = {}): RunningRobot {
  const robot = options.robot ?? DEFAULT_ROBOT;

  const mapServer = ctx.createNode('map_server');
  mapServer
    .createPublisher('nav_msgs/msg/OccupancyGrid', '/map', { qos: { durability: 'transient_local' } })
    .publish(site.map.toMsg(mapServer.now()));

  const safetyNode = ctx.createNode('safety_gate');
  const gate = createSafetyGate(safetyNode);

  const navNode = ctx.createNode('navigator');
  const costmap = buildCostmap(site.map, site.zones, {
    ...DEFAULT_INFLATION,
    inscribed_radius: robot.radius,
  });
  const navigator = createNavigator(navNode, { costmap, robot, zones: site.zones });

  // Nav2's behaviour server, the part the mission uses: turning round to look for a customer.
  const behaviorNode = ctx.createNode('behavior_server');
  const spin = createSpinServer(behaviorNode, { robot });

  // The customer-follow signal from the rear camera's face detections (real or simulated).
  // One camera model for the detector's boxes and the follow node's ranges.
  const camera = options.rearCamera?.camera ?? REAR_CAMERA;
  const perceptionNode = ctx.createNode('customer_follow');
  const follow = createFollowNode(perceptionNode, { camera });
  const peopleNode = ctx.createNode('people_count');
  const peopleCount = createPeopleCountNode(peopleNode);

  const rearCamera = options.rearCamera;
  const detectorNode = rearCamera ? ctx.createNode('rear_camera_detector') : undefined;
  const detector =
    rearCamera && detectorNode
      ? createDetectorNode(detectorNode, {
          source: rearCamera.source,
          detector: rearCamera.detector,
          camera,
        })
      : undefined;

  const missionNode = ctx.createNode('guide_mission');
  const mission = startGuideMission(missionNode, { site });

  return {
    async stop() {
      mission.stop();
      follow.stop();
      peopleCount.stop();
      spin.stop();
      navigator.stop?.();
      gate.stop?.();
      const nodes = [missionNode, peopleNode, perceptionNode, behaviorNode, navNode, safetyNode, mapServer];
      for (const n of nodes) n.destroy();
      // Last, and awaited: a frame in the detector may take a while, and the source's decoder
      // (ffmpeg) must have exited before the caller releases the detector or the process ends.
      if (detector) await detector.stop();
      detectorNode?.destroy();
    },
    ...(detector ? { rearCamera: detector } : {}),
    peopleCount,
  };
}
