/**
 * Nav2's result codes: the `error_code` of the actions the robot sends or hears of, as nav2_msgs
 * defines them for ROS 2 Jazzy (navigation2, branch jazzy):
 *
 *   nav2_msgs/action/NavigateToPose.action     bt_navigator            9000…
 *   nav2_msgs/action/ComputePathToPose.action  planner_server          200…
 *   nav2_msgs/action/FollowPath.action         controller_server       100…
 *   nav2_msgs/action/Spin.action               behavior_server (spin)  700…
 *   nav2_msgs/action/DockRobot.action          docking_server          901…906, 999
 *
 * 0 (NONE) is success in every action; a cancelled goal carries 0 too, with status CANCELED. The
 * ranges do not overlap, so a number alone says which server failed: bt_navigator passes the
 * failing server's code on in its NavigateToPose result (its `error_code_names` parameter, by
 * default compute_path_error_code and follow_path_error_code; the lowest non-zero code wins).
 *
 * NavigateToPose's own codes are Nav2 Kilted's names: Jazzy's NavigateToPose.action may define
 * none but NONE (a Jazzy bt_navigator then aborts with a server's code, or with 0), and TIMEOUT
 * (9003) is Kilted's alone. They are here so a newer Nav2 is understood, and because the robot's
 * own navigator needs a code for failures that are its own rather than a planner's or a
 * controller's (see errors.ts). DockRobot's TIMEOUT (907) is likewise Kilted's: the robot's
 * docking behaviour sends it for an approach that ran out of time, which a Jazzy docking server
 * reports as FAILED_TO_CONTROL. Names and numbers are copied from the .action files; nothing
 * here is ours to renumber.
 */
export const NAV2_ERROR_CODES = {
  NavigateToPose: {
    UNKNOWN: 9000,
    FAILED_TO_LOAD_BEHAVIOR_TREE: 9001,
    TF_ERROR: 9002,
    /** Kilted and later. */
    TIMEOUT: 9003,
  },
  ComputePathToPose: {
    UNKNOWN: 200,
    INVALID_PLANNER: 201,
    TF_ERROR: 202,
    START_OUTSIDE_MAP: 203,
    GOAL_OUTSIDE_MAP: 204,
    START_OCCUPIED: 205,
    GOAL_OCCUPIED: 206,
    TIMEOUT: 207,
    NO_VALID_PATH: 208,
  },
  FollowPath: {
    UNKNOWN: 100,
    INVALID_CONTROLLER: 101,
    TF_ERROR: 102,
    INVALID_PATH: 103,
    PATIENCE_EXCEEDED: 104,
    FAILED_TO_MAKE_PROGRESS: 105,
    NO_VALID_CONTROL: 106,
    CONTROLLER_TIMED_OUT: 107,
  },
  Spin: {
    UNKNOWN: 700,
    TIMEOUT: 701,
    TF_ERROR: 702,
    COLLISION_AHEAD: 703,
  },
  // opennav_docking's codes: numbered from 901, with UNKNOWN last at 999.
  DockRobot: {
    DOCK_NOT_IN_DB: 901,
    DOCK_NOT_VALID: 902,
    FAILED_TO_STAGE: 903,
    FAILED_TO_DETECT_DOCK: 904,
    FAILED_TO_CONTROL: 905,
    FAILED_TO_CHARGE: 906,
    /** Kilted and later (Jazzy's docking server fails a timed-out approach FAILED_TO_CONTROL). */
    TIMEOUT: 907,
    UNKNOWN: 999,
  },
} as const;

/** Success (and the code a cancelled goal carries) in every Nav2 action. */
export const NAV2_NONE = 0;

export type Nav2Action = keyof typeof NAV2_ERROR_CODES;

/** A code's qualified name, e.g. 'ComputePathToPose.NO_VALID_PATH'. */
export type Nav2CodeName = {
  [A in Nav2Action]: `${A}.${keyof (typeof NAV2_ERROR_CODES)[A] & string}`;
}[Nav2Action];

/** Every code by number, built once from the table above. */
const BY_NUMBER: ReadonlyMap<number, Nav2CodeName> = new Map(
  Object.entries(NAV2_ERROR_CODES).flatMap(([action, codes]) =>
    Object.entries(codes).map(([name, value]) => [value, `${action}.${name}` as Nav2CodeName] as const),
  ),
);

/** Every qualified name in the table, in table order. */
export const NAV2_CODE_NAMES: readonly Nav2CodeName[] = [...BY_NUMBER.values()];

/** The qualified name of a non-zero Nav2 code, or undefined for a number no table defines. */
export function nav2CodeName(errorCode: number): Nav2CodeName | undefined {
  return BY_NUMBER.get(errorCode);
}

/** The number of a qualified name (the inverse of nav2CodeName). */
export function nav2Code(name: Nav2CodeName): number {
  const [action, code] = name.split('.') as [Nav2Action, string];
  return (NAV2_ERROR_CODES[action] as Readonly<Record<string, number>>)[code]!;
}
