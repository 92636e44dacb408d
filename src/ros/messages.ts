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

// geometry_msgs
export interface Vector3 {
  x: number;
  y: number;
  z: number;
}
export type Point = Vector3;
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
export interface ObjectHypothesisWithPose {
  hypothesis: { class_id: string; score: number };
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

/**
 * Topic message types by ROS type name: the standard ROS 2 packages the graph knows. A package of
 * the application's own adds its types by augmenting this interface (TypeScript declaration
 * merging), as src/interfaces/ does for medhjalparen_msgs; the graph itself knows no domain.
 */
export interface MessageTypes {
  'builtin_interfaces/msg/Time': TimeMsg;
  'std_msgs/msg/String': StringMsg;
  'std_msgs/msg/Bool': BoolMsg;
  'std_msgs/msg/Empty': EmptyMsg;
  'geometry_msgs/msg/Twist': Twist;
  'geometry_msgs/msg/TwistStamped': TwistStamped;
  'geometry_msgs/msg/PoseStamped': PoseStamped;
  'geometry_msgs/msg/PoseWithCovarianceStamped': PoseWithCovarianceStamped;
  'nav_msgs/msg/Odometry': Odometry;
  'nav_msgs/msg/OccupancyGrid': OccupancyGrid;
  'nav_msgs/msg/Path': Path;
  'sensor_msgs/msg/LaserScan': LaserScan;
  'sensor_msgs/msg/Image': Image;
  'rosgraph_msgs/msg/Clock': ClockMsg;
  'tf2_msgs/msg/TFMessage': TFMessage;
  'people_msgs/msg/People': People;
  'vision_msgs/msg/Detection2DArray': Detection2DArray;
  'nav2_msgs/msg/SpeedLimit': SpeedLimit;
  'sensor_msgs/msg/BatteryState': BatteryState;
  'diagnostic_msgs/msg/DiagnosticArray': DiagnosticArray;
}
export type MessageTypeName = keyof MessageTypes;

/** Services: request and response by ROS type name. */
export interface ServiceTypes {
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
}
export type ActionTypeName = keyof ActionTypes;
