/**
 * ROS 2 message, service and action shapes as plain TypeScript objects. Field names and types
 * follow the .msg/.srv/.action definitions exactly (snake_case, REP-103 units) so that the same
 * objects can be handed to rclnodejs unchanged. Arrays of numbers that rclnodejs delivers as
 * typed arrays (with `enableTypedArray`) are typed arrays here too.
 */

// builtin_interfaces
export interface TimeMsg {
  sec: number;
  nanosec: number;
}
export type DurationMsg = TimeMsg;

// std_msgs
export interface Header {
  stamp: TimeMsg;
  frame_id: string;
}
export interface StringMsg {
  data: string;
}
export interface BoolMsg {
  data: boolean;
}
export type EmptyMsg = Record<string, never>;
/** Components 0..1; `a` is opacity (0 transparent). */
export interface ColorRGBA {
  r: number;
  g: number;
  b: number;
  a: number;
}

// geometry_msgs
export interface Vector3 {
  x: number;
  y: number;
  z: number;
}
export type Point = Vector3;
/** A point with 32-bit components (float32), as polygons carry them. */
export interface Point32 {
  x: number;
  y: number;
  z: number;
}
/** Closed: the last point connects back to the first. */
export interface Polygon {
  points: Point32[];
}
export interface PolygonStamped {
  header: Header;
  polygon: Polygon;
}
export interface Quaternion {
  x: number;
  y: number;
  z: number;
  w: number;
}
export interface Pose {
  position: Point;
  orientation: Quaternion;
}
export interface PoseStamped {
  header: Header;
  pose: Pose;
}
export interface PoseWithCovariance {
  pose: Pose;
  /** Row-major 6×6 covariance (x, y, z, rot x, rot y, rot z). */
  covariance: Float64Array;
}
export interface PoseWithCovarianceStamped {
  header: Header;
  pose: PoseWithCovariance;
}
export interface Twist {
  linear: Vector3;
  angular: Vector3;
}
export interface TwistStamped {
  header: Header;
  twist: Twist;
}
export interface TwistWithCovariance {
  twist: Twist;
  covariance: Float64Array;
}
export interface Transform {
  translation: Vector3;
  rotation: Quaternion;
}
export interface TransformStamped {
  header: Header;
  child_frame_id: string;
  transform: Transform;
}

// nav_msgs
export interface Odometry {
  header: Header;
  child_frame_id: string;
  pose: PoseWithCovariance;
  twist: TwistWithCovariance;
}
export interface MapMetaData {
  map_load_time: TimeMsg;
  /** m/cell */
  resolution: number;
  width: number;
  height: number;
  /** Pose of cell (0, 0)'s corner in the map frame. */
  origin: Pose;
}
export interface OccupancyGrid {
  header: Header;
  info: MapMetaData;
  /** Row-major from the origin, 0..100 occupancy probability, -1 unknown. */
  data: Int8Array;
}
export interface Path {
  header: Header;
  poses: PoseStamped[];
}

// sensor_msgs
export interface LaserScan {
  header: Header;
  angle_min: number;
  angle_max: number;
  angle_increment: number;
  time_increment: number;
  scan_time: number;
  range_min: number;
  range_max: number;
  /** Ranges outside [range_min, range_max] (including Infinity) mean no return. */
  ranges: Float32Array;
  intensities: Float32Array;
}

/**
 * sensor_msgs/msg/Image: an uncompressed frame. `step` is the row length in bytes (rows may be
 * padded); `encoding` names the pixel layout (rgb8, bgr8, mono8, yuv422, 16UC1, …).
 */
export interface Image {
  header: Header;
  height: number;
  width: number;
  encoding: string;
  /** 1 when multi-byte pixel values are big-endian (irrelevant for 8-bit encodings). */
  is_bigendian: number;
  step: number;
  data: Uint8Array;
}

/**
 * sensor_msgs/msg/BatteryState. Unmeasured floats are NaN, as the .msg asks. The enums
 * (POWER_SUPPLY_STATUS_*, _HEALTH_*, _TECHNOLOGY_*) are uint8 constants of the .msg.
 */
export interface BatteryState {
  header: Header;
  /** V */
  voltage: number;
  /** °C */
  temperature: number;
  /** A; negative while discharging. */
  current: number;
  /** Ah */
  charge: number;
  /** Ah, at the last full charge. */
  capacity: number;
  /** Ah, as designed. */
  design_capacity: number;
  /** 0..1 */
  percentage: number;
  power_supply_status: number;
  power_supply_health: number;
  power_supply_technology: number;
  present: boolean;
  /** V per cell; empty when not measured. */
  cell_voltage: Float32Array;
  /** °C per cell; empty when not measured. */
  cell_temperature: Float32Array;
  location: string;
  serial_number: string;
}

/** sensor_msgs/msg/CompressedImage: `format` names the codec (e.g. 'jpeg', 'png'); `data` its bytes. */
export interface CompressedImage {
  header: Header;
  format: string;
  data: Uint8Array;
}

// visualization_msgs (Jazzy layout: texture and mesh_file fields)
/** A texture coordinate, 0..1 of the texture's width and height. */
export interface UVCoordinate {
  u: number;
  v: number;
}
/** A mesh file sent inside the message; `filename` gives the parser its extension. */
export interface MeshFile {
  filename: string;
  data: Uint8Array;
}
/**
 * visualization_msgs/msg/Marker: a shape a 3D view draws. `type` and `action` take the .msg's
 * int32 constants (CUBE 1, CYLINDER 3, TEXT_VIEW_FACING 9, …; ADD 0, DELETE 2, DELETEALL 3);
 * the generated VisualizationMsgsMarker object in src/interfaces/generated/ros-types.ts names them.
 */
export interface Marker {
  header: Header;
  ns: string;
  id: number;
  type: number;
  action: number;
  pose: Pose;
  /** m; 1,1,1 is the default size. */
  scale: Vector3;
  color: ColorRGBA;
  /** Zero: forever. */
  lifetime: DurationMsg;
  frame_locked: boolean;
  points: Point[];
  /** Empty, or one per point. */
  colors: ColorRGBA[];
  texture_resource: string;
  texture: CompressedImage;
  uv_coordinates: UVCoordinate[];
  text: string;
  mesh_resource: string;
  mesh_file: MeshFile;
  mesh_use_embedded_materials: boolean;
}
export interface MarkerArray {
  markers: Marker[];
}

// diagnostic_msgs
export interface KeyValue {
  key: string;
  value: string;
}
export interface DiagnosticStatus {
  /** byte: OK 0, WARN 1, ERROR 2, STALE 3. */
  level: number;
  name: string;
  message: string;
  hardware_id: string;
  values: KeyValue[];
}
export interface DiagnosticArray {
  header: Header;
  status: DiagnosticStatus[];
}

// nav2_msgs/msg/SpeedLimit: a cap the controller obeys (the behaviour slows for its customer with it).
export interface SpeedLimit {
  header: Header;
  /** When true, speed_limit is a percentage of the maximum speed (0..100). */
  percentage: boolean;
  /** m/s, or percent; 0 means no limit in Nav2, so a full stop is asked for with a tiny value. */
  speed_limit: number;
}

// people_msgs (ROS people stack): tracked people in a frame, from perception or the simulator.
export interface Person {
  name: string;
  position: Point;
  velocity: Point;
  reliability: number;
  tagnames: string[];
  tags: string[];
}
export interface People {
  header: Header;
  people: Person[];
}

// vision_msgs (ROS 2 Humble and later): detections in an image, e.g. faces from the rear camera.
export interface Point2D {
  x: number;
  y: number;
}
export interface VisionPose2D {
  position: Point2D;
  theta: number;
}
/** Centre and size in pixels. */
export interface BoundingBox2D {
  center: VisionPose2D;
  size_x: number;
  size_y: number;
}
export interface ObjectHypothesis {
  class_id: string;
  /** 0..1 */
  score: number;
}
export interface ObjectHypothesisWithPose {
  hypothesis: ObjectHypothesis;
  pose: PoseWithCovariance;
}
export interface Detection2D {
  header: Header;
  results: ObjectHypothesisWithPose[];
  bbox: BoundingBox2D;
  id: string;
}
export interface Detection2DArray {
  header: Header;
  detections: Detection2D[];
}

// rosgraph_msgs, tf2_msgs
export interface ClockMsg {
  clock: TimeMsg;
}
export interface TFMessage {
  transforms: TransformStamped[];
}

// unique_identifier_msgs, action_msgs: the goal bookkeeping of ROS 2 actions
export interface UUID {
  /** 16 bytes. */
  uuid: Uint8Array;
}
export interface GoalInfo {
  goal_id: UUID;
  stamp: TimeMsg;
}
/** action_msgs/msg/GoalStatus (named so beside node-api's GoalStatus codes). */
export interface GoalStatusMsg {
  goal_info: GoalInfo;
  /** One of the STATUS_* codes (GoalStatus in node-api.ts). */
  status: number;
}
export interface GoalStatusArray {
  status_list: GoalStatusMsg[];
}
export interface CancelGoalRequest {
  goal_info: GoalInfo;
}
export interface CancelGoalResponse {
  /** ERROR_NONE 0, ERROR_REJECTED 1, ERROR_UNKNOWN_GOAL_ID 2, ERROR_GOAL_TERMINATED 3. */
  return_code: number;
  goals_canceling: GoalInfo[];
}

// std_srvs
export interface SetBoolRequest {
  data: boolean;
}
export interface SetBoolResponse {
  success: boolean;
  message: string;
}
export type TriggerRequest = Record<string, never>;
export interface TriggerResponse {
  success: boolean;
  message: string;
}

// nav2_msgs/action/NavigateToPose (Jazzy layout: error_code + error_msg in the result)
export interface NavigateToPoseGoal {
  pose: PoseStamped;
  behavior_tree: string;
}
export interface NavigateToPoseFeedback {
  current_pose: PoseStamped;
  navigation_time: DurationMsg;
  estimated_time_remaining: DurationMsg;
  number_of_recoveries: number;
  distance_remaining: number;
}
export interface NavigateToPoseResult {
  /** 0 = NONE (success); the navigation server defines the others. */
  error_code: number;
  error_msg: string;
}

// nav2_msgs/action/Spin (Jazzy layout)
export interface SpinGoal {
  /** Angle to turn in place, rad: positive is counter-clockwise. */
  target_yaw: number;
  /** Give up (TIMEOUT) if the turn takes longer than this. */
  time_allowance: DurationMsg;
  /** Turn even where the costmap says a collision is ahead (the robot turns on its spot). */
  disable_collision_checks: boolean;
}
export interface SpinFeedback {
  /** Turned so far, rad (absolute). */
  angular_distance_traveled: number;
}
export interface SpinResult {
  total_elapsed_time: DurationMsg;
  /** 0 = NONE (success); the navigation server defines the others. */
  error_code: number;
  error_msg: string;
}

// nav2_msgs/action/DockRobot (Jazzy layout, opennav_docking's docking_server on /dock_robot)
export interface DockRobotGoal {
  /** True: dock at `dock_id` from the server's dock database; false: at `dock_pose`. */
  use_dock_id: boolean;
  dock_id: string;
  /** The robot's pose when docked. */
  dock_pose: PoseStamped;
  /** Which dock plugin, when the server knows several; '' for its only one. */
  dock_type: string;
  /** Most time to get to the staging pose, s. */
  max_staging_time: number;
  /** False: the robot is already at the staging pose (within the server's tolerance). */
  navigate_to_staging_pose: boolean;
}
export interface DockRobotFeedback {
  /** NONE 0, NAV_TO_STAGING_POSE 1, INITIAL_PERCEPTION 2, CONTROLLING 3, WAIT_FOR_CHARGE 4, RETRY 5. */
  state: number;
  docking_time: DurationMsg;
  num_retries: number;
}
export interface DockRobotResult {
  success: boolean;
  /** 0 = NONE (success); otherwise 901…906 or 999 (the action's constants), or Kilted's TIMEOUT 907. */
  error_code: number;
  num_retries: number;
  error_msg: string;
}

/**
 * Topic message types by ROS type name: the standard ROS 2 packages the graph knows (every message
 * of interfaces/vendor/, dependencies included, so that each has a checked shape). A package of
 * the application's own adds its types by augmenting this interface (TypeScript declaration
 * merging), as src/interfaces/ does for medhjalparen_msgs; the graph itself knows no domain.
 * src/interfaces/generated/ros-types.check.ts fails the typecheck when a shape here and its .msg
 * differ.
 */
export interface MessageTypes {
  'action_msgs/msg/GoalInfo': GoalInfo;
  'action_msgs/msg/GoalStatus': GoalStatusMsg;
  'action_msgs/msg/GoalStatusArray': GoalStatusArray;
  'builtin_interfaces/msg/Duration': DurationMsg;
  'builtin_interfaces/msg/Time': TimeMsg;
  'diagnostic_msgs/msg/DiagnosticArray': DiagnosticArray;
  'diagnostic_msgs/msg/DiagnosticStatus': DiagnosticStatus;
  'diagnostic_msgs/msg/KeyValue': KeyValue;
  'geometry_msgs/msg/Point': Point;
  'geometry_msgs/msg/Point32': Point32;
  'geometry_msgs/msg/Polygon': Polygon;
  'geometry_msgs/msg/PolygonStamped': PolygonStamped;
  'geometry_msgs/msg/Pose': Pose;
  'geometry_msgs/msg/PoseStamped': PoseStamped;
  'geometry_msgs/msg/PoseWithCovariance': PoseWithCovariance;
  'geometry_msgs/msg/PoseWithCovarianceStamped': PoseWithCovarianceStamped;
  'geometry_msgs/msg/Quaternion': Quaternion;
  'geometry_msgs/msg/Transform': Transform;
  'geometry_msgs/msg/TransformStamped': TransformStamped;
  'geometry_msgs/msg/Twist': Twist;
  'geometry_msgs/msg/TwistStamped': TwistStamped;
  'geometry_msgs/msg/TwistWithCovariance': TwistWithCovariance;
  'geometry_msgs/msg/Vector3': Vector3;
  'nav2_msgs/msg/SpeedLimit': SpeedLimit;
  'nav_msgs/msg/MapMetaData': MapMetaData;
  'nav_msgs/msg/OccupancyGrid': OccupancyGrid;
  'nav_msgs/msg/Odometry': Odometry;
  'nav_msgs/msg/Path': Path;
  'people_msgs/msg/People': People;
  'people_msgs/msg/Person': Person;
  'rosgraph_msgs/msg/Clock': ClockMsg;
  'sensor_msgs/msg/BatteryState': BatteryState;
  'sensor_msgs/msg/CompressedImage': CompressedImage;
  'sensor_msgs/msg/Image': Image;
  'sensor_msgs/msg/LaserScan': LaserScan;
  'std_msgs/msg/Bool': BoolMsg;
  'std_msgs/msg/ColorRGBA': ColorRGBA;
  'std_msgs/msg/Empty': EmptyMsg;
  'std_msgs/msg/Header': Header;
  'std_msgs/msg/String': StringMsg;
  'tf2_msgs/msg/TFMessage': TFMessage;
  'unique_identifier_msgs/msg/UUID': UUID;
  'vision_msgs/msg/BoundingBox2D': BoundingBox2D;
  'vision_msgs/msg/Detection2D': Detection2D;
  'vision_msgs/msg/Detection2DArray': Detection2DArray;
  'vision_msgs/msg/ObjectHypothesis': ObjectHypothesis;
  'vision_msgs/msg/ObjectHypothesisWithPose': ObjectHypothesisWithPose;
  'vision_msgs/msg/Point2D': Point2D;
  'vision_msgs/msg/Pose2D': VisionPose2D;
  'visualization_msgs/msg/Marker': Marker;
  'visualization_msgs/msg/MarkerArray': MarkerArray;
  'visualization_msgs/msg/MeshFile': MeshFile;
  'visualization_msgs/msg/UVCoordinate': UVCoordinate;
}
export type MessageTypeName = keyof MessageTypes;

/** Services: request and response by ROS type name. */
export interface ServiceTypes {
  'action_msgs/srv/CancelGoal': { request: CancelGoalRequest; response: CancelGoalResponse };
  'std_srvs/srv/SetBool': { request: SetBoolRequest; response: SetBoolResponse };
  'std_srvs/srv/Trigger': { request: TriggerRequest; response: TriggerResponse };
}
export type ServiceTypeName = keyof ServiceTypes;

/** Actions: goal, feedback and result by ROS type name. */
export interface ActionTypes {
  'nav2_msgs/action/NavigateToPose': {
    goal: NavigateToPoseGoal;
    feedback: NavigateToPoseFeedback;
    result: NavigateToPoseResult;
  };
  'nav2_msgs/action/Spin': { goal: SpinGoal; feedback: SpinFeedback; result: SpinResult };
  'nav2_msgs/action/DockRobot': {
    goal: DockRobotGoal;
    feedback: DockRobotFeedback;
    result: DockRobotResult;
  };
}
export type ActionTypeName = keyof ActionTypes;
