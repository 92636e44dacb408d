/**
 * medhjalparen_msgs: the project's own ROS interfaces, kept small and ROS-typed (snake_case
 * fields, REP-103 units, std_msgs/Header first). They join the node graph's type registry by
 * augmenting `MessageTypes`, so `createPublisher('medhjalparen_msgs/msg/GuideStatus', …)` is
 * checked like any standard type while src/ros/ itself stays free of the guide robot's domain.
 */
import type { DurationMsg, Header, TimeMsg } from '../ros/index.js';

/** A customer's request, as typed on the kiosk or recognised from speech. */
export interface GuideRequest {
  request_id: string;
  /** Free text or a destination id. */
  text: string;
  /** 'fi' | 'sv' | 'en' as the customer chose it (it wins), or '' to detect from the words. */
  language: string;
  /** The customer asked for plain language (selkokieli, lättläst, plain English). */
  plain: boolean;
  /** 'escort' (or '') to be taken there; 'directions' to be told the way and walk alone. */
  mode: string;
}
/** Something the robot says to the customer (speech and screens render it). */
export interface Utterance {
  request_id: string;
  language: string;
  /** A stable phrase key, e.g. 'escort.start', so screens can style it. */
  kind: string;
  text: string;
  /** Said in plain language (the customer asked for it). */
  plain: boolean;
  /**
   * Destination ids the customer can pick from now, in the order said ("say one or two"):
   * the candidates when asked back, the way on when a service is elsewhere; else empty.
   */
  choices: string[];
}
/** GuideStatus.state values, as the .msg's string constants would list them. */
export const GUIDE_STATES = [
  'idle',
  'understanding',
  'escorting',
  'waiting_for_customer',
  'arrived',
  'returning',
  'estopped',
  'stopped_safe',
  /** Sent by an operator to a desk or the dock, with no customer. */
  'dispatched',
  /** An operator paused the mission (to drive by hand); it resumes where it was. */
  'paused',
  /** Several desks fit the request: the robot asked which one and waits for the pick. */
  'asking',
  /** Not sure where it is (/localization/status lost): stands still until it knows again. */
  'localizing',
  /** Home: the final approach onto the dock's charging contacts. */
  'docking',
  /** On the dock with too little charge to guide: charging, taking no escorts until charged enough. */
  'charging',
  /** The centre is closed (site hours): on the dock until it opens. */
  'closed',
  /** The charge would not last an escort and the way home: the customer is told the way from here. */
  'handing_over',
  /** The charge is critical away from the dock: stopped where it is, staff told. */
  'battery_critical',
] as const;
export type GuideState = (typeof GUIDE_STATES)[number];

/** What the guide mission is doing and why, for operators and logs. */
export interface GuideStatus {
  header: Header;
  state: string;
  request_id: string;
  destination_id: string;
  /** Why the mission is in this state: empty, or a stable reason code. */
  reason: string;
  /**
   * How the current request was understood, for operators and the log: which catalogue term of
   * which language chose the destination, e.g. "service housing-allowance: 'asumistuki' (fi)".
   * Built from the site's own words, never the customer's text; '' when nothing was matched.
   */
  why: string;
}
/** The escorted customer as seen from the robot (from perception or the simulator). */
export interface CustomerFollow {
  header: Header;
  /** True while a customer is bound to the current escort. */
  bound: boolean;
  /** True while the customer is currently seen. */
  visible: boolean;
  /** Distance behind the robot in metres (last seen). */
  distance_behind: number;
  /** How long the customer has not been seen. */
  lost_for: DurationMsg;
}
/** The safety gate's state, published when it changes and at 1 Hz. */
export interface SafetyState {
  header: Header;
  estop_latched: boolean;
  /** 'ok' or the reason the last command was limited or stopped. */
  reason: string;
  source: string;
}

/** The drive base's link and stop state, published when it changes and at 1 Hz. */
export interface BaseState {
  header: Header;
  /** The board's port is open and its telemetry is fresh. */
  connected: boolean;
  /** The board latched a stop (bumper or e-stop) and refuses to drive until cleared. */
  stop_latched: boolean;
  /**
   * '' when all is well; else why not: while connected the board's fault (bumper, estop,
   * battery_low, encoder), while disconnected why the link is down (not_attached, connecting,
   * port_closed, port_error, telemetry_timeout, detached).
   */
  fault: string;
}

/**
 * How busy the floor is, from the rear camera: counts only, over a sliding window. No image,
 * position or appearance of anyone is kept; this is the only perception output kept over time.
 */
export interface PeopleCount {
  header: Header;
  /** The period the counts cover (ends at header.stamp). */
  window: DurationMsg;
  /** Camera frames counted in the window. */
  frames: number;
  /** People in view in the newest frame. */
  in_view: number;
  /** Mean people in view per frame over the window. */
  mean_in_view: number;
  /** Most people in view in one frame in the window. */
  max_in_view: number;
  /** Tracks confirmed in the window: about how many different people passed the camera. */
  new_people: number;
}

/**
 * How sure the localiser is of where the robot is, published with every filter update and at
 * least at 1 Hz (topic /localization/status). The mission stops and asks for help while it is
 * 'lost'; the console shows it. No position of anyone but the robot is in it.
 */
export interface LocalizationStatus {
  header: Header;
  /**
   * 'initializing' (no scan or odometry yet), 'ok', 'uncertain' (spread above the warning
   * limits: drive slowly), 'lost' (spread above the loss limits, scan no longer matches the map,
   * lidar quiet, or odometry jumped): the robot must not drive on this pose.
   */
  state: string;
  /** m: standard deviation of the position estimate (largest axis). */
  position_sigma: number;
  /** rad: standard deviation of the heading estimate. */
  yaw_sigma: number;
  /** Particles in the filter now (adaptive). */
  particles: number;
  /** 0..1: the share of scan beams that fit the map at the estimate (1 = every beam). */
  scan_match: number;
  /** One line for operators, e.g. 'lidar quiet for 2.0 s', 'scan does not match the map'; '' when ok. */
  reason: string;
}

/**
 * A desk's status as staff set it in the console. It overrides the desk's opening hours for the
 * robot's answers and routing until `until`, or until staff change it.
 */
export interface DeskStatus {
  destination_id: string;
  /** 'open', 'closed' or 'paused' (closed for a while, e.g. lunch). */
  state: string;
  /** Staff's note for customers, e.g. "back at 12.00"; '' for none. Never customer text. */
  note: string;
  /** When the status ends (zero: until staff change it). */
  until: TimeMsg;
}
/** Every desk with a status set by staff; desks not listed follow their opening hours. Latched. */
export interface DeskStatusArray {
  header: Header;
  desks: DeskStatus[];
}

/** medhjalparen_msgs/srv/Dispatch: send the robot, with no customer, to a destination or 'dock'. */
export interface DispatchRequest {
  destination_id: string;
}
export interface DispatchResponse {
  success: boolean;
  message: string;
}

/** medhjalparen_msgs/action/Guide: a customer's request as a ROS 2 action on /guide. */
export interface GuideGoal {
  /** A destination id of the site, or a need in words. */
  request: string;
  /** 'fi' | 'sv' | 'en' as the customer chose it, or '' to detect from the words. */
  language: string;
  plain: boolean;
  /** 'escort' (or '') or 'directions'. */
  mode: string;
}
export interface GuideResult {
  /** The mission's outcome: arrived, elsewhere, directions, lost, cancelled, … */
  outcome: string;
  /** The mission's reason code ('' when it arrived). */
  reason: string;
  destination_id: string;
}
export interface GuideFeedback {
  /** GuideStatus.state while the request is open. */
  state: string;
  destination_id: string;
}

declare module '../ros/messages.js' {
  interface MessageTypes {
    'medhjalparen_msgs/msg/GuideRequest': GuideRequest;
    'medhjalparen_msgs/msg/Utterance': Utterance;
    'medhjalparen_msgs/msg/GuideStatus': GuideStatus;
    'medhjalparen_msgs/msg/CustomerFollow': CustomerFollow;
    'medhjalparen_msgs/msg/SafetyState': SafetyState;
    'medhjalparen_msgs/msg/BaseState': BaseState;
    'medhjalparen_msgs/msg/PeopleCount': PeopleCount;
    'medhjalparen_msgs/msg/LocalizationStatus': LocalizationStatus;
    'medhjalparen_msgs/msg/DeskStatus': DeskStatus;
    'medhjalparen_msgs/msg/DeskStatusArray': DeskStatusArray;
  }
  interface ServiceTypes {
    'medhjalparen_msgs/srv/Dispatch': { request: DispatchRequest; response: DispatchResponse };
  }
  interface ActionTypes {
    'medhjalparen_msgs/action/Guide': { goal: GuideGoal; feedback: GuideFeedback; result: GuideResult };
  }
}
