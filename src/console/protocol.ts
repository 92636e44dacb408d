/**
 * The console's wire contract, as data: every HTTP body and reply, and every WebSocket message in
 * both directions, is a TypeBox schema here. The server validates against these (fastify route
 * schemas; WebSocket frames with the same compiled schemas); the pages import only the types.
 * Units are the robot's own: metres, radians, m/s, rad/s, map frame; times are ISO 8601 strings.
 *
 * Versioned by PROTOCOL_VERSION: a change that breaks a client bumps it.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const PROTOCOL_VERSION = 1;

/** Largest WebSocket frame either side accepts, bytes (a teleop command is < 100). */
export const MAX_CLIENT_FRAME_BYTES = 4096;
/** Live state goes out at most this often per client. */
export const STATE_RATE_HZ = 10;
/** A teleop command drives for this long unless renewed (simulated or system time: the node clock). */
export const TELEOP_VALID_MS = 300;

const Language = Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')]);
export type Language = Static<typeof Language>;
const Localized = Type.Object({ fi: Type.String(), sv: Type.String(), en: Type.String() });

export const Role = Type.Union([Type.Literal('viewer'), Type.Literal('operator'), Type.Literal('admin')]);
export type Role = Static<typeof Role>;
/** Each role may do everything the roles before it may. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

export const UserName = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{1,31}$' });
export const Password = Type.String({ minLength: 12, maxLength: 256 });
export const DestinationId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' });

/** Any error reply: a stable code, plain words, and where (field path, or the route). */
export const ErrorReply = Type.Object({
  error: Type.String(),
  message: Type.String(),
  where: Type.Optional(Type.String()),
});
export type ErrorReply = Static<typeof ErrorReply>;

// ---- accounts and sessions ---------------------------------------------------------------------

export const LoginBody = Type.Object(
  { name: UserName, password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;
export const SessionReply = Type.Object({ name: Type.String(), role: Role, expires: Type.String() });
export type SessionReply = Static<typeof SessionReply>;
/** Public: whether an admin exists yet, and if not how to make one (the console page shows it). */
export const SetupReply = Type.Object({ admin_exists: Type.Boolean(), how: Type.String() });
export type SetupReply = Static<typeof SetupReply>;
export const UserReply = Type.Object({ name: Type.String(), role: Role, created: Type.String() });
export type UserReply = Static<typeof UserReply>;
export const AddUserBody = Type.Object(
  { name: UserName, role: Role, password: Password },
  { additionalProperties: false },
);
export type AddUserBody = Static<typeof AddUserBody>;

// ---- the site, as the pages draw it ------------------------------------------------------------

export const Pose = Type.Object({ x: Type.Number(), y: Type.Number(), yaw: Type.Number() });
export type Pose = Static<typeof Pose>;
export const DeskState = Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('paused')]);
export type DeskState = Static<typeof DeskState>;
export const SiteDesk = Type.Object({
  id: Type.String(),
  name: Localized,
  organisation: Type.String(),
  description: Type.Optional(Localized),
  pose: Pose,
});
export const SiteReply = Type.Object({
  protocol: Type.Literal(PROTOCOL_VERSION),
  id: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  dock: Pose,
  desks: Type.Array(SiteDesk),
  /**
   * The centre's own weekly opening hours (site.yaml `hours`), Monday first: each day's intervals
   * as '08:00–20:00' (comma-separated), or 'closed'. Empty when the centre is always open.
   */
  hours: Type.Array(Type.Object({ weekday: Type.String(), hours: Type.String() })),
  /** The robot's footprint radius (m) for drawing it. */
  robot_radius: Type.Number(),
});
export type SiteReply = Static<typeof SiteReply>;

/** The map image: sent once per connection and again when /map changes. */
export const MapImage = Type.Object({
  width: Type.Integer(),
  height: Type.Integer(),
  resolution: Type.Number(),
  /** The map's lower-left corner in the map frame. */
  origin: Pose,
  /** data:image/png;base64,… — free white, occupied black, unknown grey; row 0 at the top. */
  png: Type.String(),
});
export type MapImage = Static<typeof MapImage>;

/** A desk's state right now: staff's status where set (and not expired), else its opening hours. */
export const DeskNow = Type.Object({
  id: Type.String(),
  state: DeskState,
  /** 'staff' when set in the console; 'hours' when from the opening hours. */
  source: Type.Union([Type.Literal('staff'), Type.Literal('hours')]),
  note: Type.String(),
  /** ISO time the staff status ends, or when the desk next opens/closes by its hours; '' if never. */
  until: Type.String(),
  /** Today's opening hours in the site's time zone, e.g. '08:00–16:00', 'closed', 'always open'. */
  today: Type.String(),
});
export type DeskNow = Static<typeof DeskNow>;

export const SetDeskStatusBody = Type.Object(
  {
    state: DeskState,
    note: Type.Optional(Type.String({ maxLength: 200 })),
    /** ISO 8601 with offset; absent: until staff change it. Must be in the future. */
    until: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type SetDeskStatusBody = Static<typeof SetDeskStatusBody>;

// ---- live state --------------------------------------------------------------------------------

export const MissionNow = Type.Object({
  state: Type.String(),
  request_id: Type.String(),
  destination_id: Type.String(),
  reason: Type.String(),
  /** The reason in plain words for operators ('' when none). */
  reason_text: Type.String(),
  /**
   * How the current request was understood: the site's catalogue term that chose it, e.g.
   * "service housing-allowance: 'asumistuki' (fi)"; '' when nothing matched. Never customer text.
   */
  why: Type.String(),
});
export type MissionNow = Static<typeof MissionNow>;
export const Fault = Type.Object({ source: Type.String(), code: Type.String(), message: Type.String() });
export type Fault = Static<typeof Fault>;
export const Battery = Type.Object({
  /**
   * 0…100: the battery's own gauge (sensor_msgs/BatteryState's percentage, 0…1 scaled) when it has
   * one, else the robot's estimate from the voltage (src/power, as the mission estimates it); -1
   * when neither is known.
   */
  percentage: Type.Number(),
  /** Where `percentage` comes from: 'gauge', 'estimate' or 'none'. */
  source: Type.Union([Type.Literal('gauge'), Type.Literal('estimate'), Type.Literal('none')]),
  /** V; -1 when not measured. */
  voltage: Type.Number(),
  /** The charger is feeding the pack (the message's power_supply_status, or inferred). */
  charging: Type.Boolean(),
  /**
   * The message's power_supply_health in words: 'unknown', 'good', 'overheat', 'dead',
   * 'overvoltage', 'failure', 'cold', 'watchdog_timer_expire', 'safety_timer_expire'.
   */
  health: Type.String(),
  /** The charge can be trusted: a good reading, a health that is not a fault, and the mission agrees. */
  trusted: Type.Boolean(),
  /** Why not, in plain words for operators ('' when trusted). */
  doubt: Type.String(),
});
export type Battery = Static<typeof Battery>;
export const Safety = Type.Object({
  estop_latched: Type.Boolean(),
  reason: Type.String(),
  source: Type.String(),
});
export const Teleop = Type.Object({
  /** Who holds teleop ('' when nobody); only they may drive. */
  holder: Type.String(),
  /** A command is being applied right now. */
  driving: Type.Boolean(),
});
export const Point = Type.Tuple([Type.Number(), Type.Number()]);

/** A moment on the site's clock, computed by the server (the pages need no time-zone data). */
export const LocalMoment = Type.Object({
  /** The instant, ISO 8601 (UTC). */
  at: Type.String(),
  /** The local weekday: 'mon' … 'sun'. */
  weekday: Type.String(),
  /** Local calendar days from today: 0 today, 1 tomorrow, … */
  in_days: Type.Integer(),
  /** The local time of day, 'HH.MM' (08.00, 20.00). */
  clock: Type.String(),
});
export type LocalMoment = Static<typeof LocalMoment>;

/** The centre's own opening hours (site.yaml `hours`) right now, on the site's clock. */
export const CentreNow = Type.Object({
  /** The site has no opening hours: always open. */
  always_open: Type.Boolean(),
  open: Type.Boolean(),
  /** When it next closes (while open) or opens (while closed); null when always open or never within a week. */
  next: Type.Union([LocalMoment, Type.Null()]),
  /** Today's hours, e.g. '08:00–20:00', 'closed', 'always open'. */
  today: Type.String(),
});
export type CentreNow = Static<typeof CentreNow>;

/**
 * Everything a page may show. A 'state' message carries only the fields that changed since the
 * last one that client received; GET /api/state returns all of them.
 */
export const LiveState = Type.Object({
  /** Node time, seconds since the epoch (simulated in the simulator). */
  stamp: Type.Number(),
  pose: Type.Union([Pose, Type.Null()]),
  /** The planned path, map frame, thinned to at most 200 points. */
  path: Type.Array(Point),
  /** Scan endpoints in the map frame, thinned to at most 360 points. */
  scan: Type.Array(Point),
  people: Type.Array(Type.Object({ id: Type.String(), x: Type.Number(), y: Type.Number() })),
  mission: MissionNow,
  /** Metres of planned path left while escorting or going somewhere; null otherwise. */
  remaining_m: Type.Union([Type.Number(), Type.Null()]),
  customer: Type.Object({ bound: Type.Boolean(), visible: Type.Boolean(), distance_behind: Type.Number() }),
  battery: Type.Union([Battery, Type.Null()]),
  safety: Safety,
  faults: Type.Array(Fault),
  desks: Type.Array(DeskNow),
  /** The centre's opening hours now (the kiosk says when it opens; the console's header). */
  centre: CentreNow,
  teleop: Teleop,
});
export type LiveState = Static<typeof LiveState>;

/** One line of the mission log. Never the customer's words. */
export const MissionLogEntry = Type.Object({
  id: Type.Integer(),
  request_id: Type.String(),
  requested_at: Type.String(),
  /** 'kiosk', 'dispatch', 'simulated' or 'terminal'. */
  origin: Type.String(),
  language: Type.String(),
  destination_id: Type.String(),
  /** '' while under way; else one of the outcomes (arrived, refused, …). */
  outcome: Type.String(),
  reason: Type.String(),
  reason_text: Type.String(),
  /** The catalogue term that chose the destination (MissionNow.why); '' when none. */
  why: Type.String(),
  ended_at: Type.String(),
});
export type MissionLogEntry = Static<typeof MissionLogEntry>;

// ---- WebSocket messages ------------------------------------------------------------------------

/** A destination the customer can pick, named in the language the robot spoke. */
export const Choice = Type.Object({ id: Type.String(), name: Type.String() });
export type Choice = Static<typeof Choice>;

/** Server → client, on /ws (console) and /kiosk/ws (kiosk). */
export const ServerMessage = Type.Union([
  Type.Object({
    type: Type.Literal('hello'),
    protocol: Type.Literal(PROTOCOL_VERSION),
    role: Type.Union([Role, Type.Literal('kiosk')]),
  }),
  Type.Object({ type: Type.Literal('map'), map: MapImage }),
  Type.Object({ type: Type.Literal('state'), state: Type.Partial(LiveState) }),
  /** What the robot says; on the kiosk only its own request's words. `audio` is a URL when spoken. */
  Type.Object({
    type: Type.Literal('say'),
    request_id: Type.String(),
    language: Type.String(),
    kind: Type.String(),
    text: Type.String(),
    /** Said in plain language (the customer asked for it). */
    plain: Type.Boolean(),
    /**
     * What the customer can pick now, in the order said: the desks the robot asks about, or the
     * way on when a service is elsewhere; each named in the say's language. Empty otherwise.
     */
    choices: Type.Array(Choice),
    audio: Type.Optional(Type.String()),
    /** A long phrase (directions) is spoken in parts: the URLs to play after `audio`, in order. */
    audio_more: Type.Optional(Type.Array(Type.String())),
  }),
  Type.Object({ type: Type.Literal('log'), entry: MissionLogEntry }),
  Type.Object({
    type: Type.Literal('error'),
    error: Type.String(),
    message: Type.String(),
    where: Type.Optional(Type.String()),
  }),
]);
export type ServerMessage = Static<typeof ServerMessage>;

/** Client → server on /ws. Speeds are limited again by the safety gate; NaN never parses from JSON. */
export const TeleopCommand = Type.Object(
  {
    type: Type.Literal('teleop'),
    linear: Type.Number({ minimum: -1, maximum: 1 }),
    angular: Type.Number({ minimum: -2, maximum: 2 }),
  },
  { additionalProperties: false },
);
export const ClientMessage = Type.Union([
  TeleopCommand,
  /** Let go of the stick: stop now. */
  Type.Object({ type: Type.Literal('teleop_stop') }, { additionalProperties: false }),
  /**
   * Kiosk only (/kiosk/ws): hear the say messages of this request (the id POST /api/kiosk/request
   * returned); the same as connecting with ?request_id=….
   */
  Type.Object(
    { type: Type.Literal('follow'), request_id: Type.String({ maxLength: 64 }) },
    { additionalProperties: false },
  ),
]);
export type ClientMessage = Static<typeof ClientMessage>;

// ---- operator actions --------------------------------------------------------------------------

export const DispatchBody = Type.Object(
  { destination_id: Type.Union([DestinationId, Type.Literal('dock')]) },
  { additionalProperties: false },
);
export type DispatchBody = Static<typeof DispatchBody>;
export const PauseBody = Type.Object({ paused: Type.Boolean() }, { additionalProperties: false });
export const EstopBody = Type.Object(
  {
    engaged: Type.Boolean(),
    /** Releasing must say so: { engaged: false, confirm: true }. */
    confirm: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type EstopBody = Static<typeof EstopBody>;
export const TeleopTakeBody = Type.Object({ confirm: Type.Literal(true) }, { additionalProperties: false });
export const FaultReportBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
export const FaultReport = Type.Object({
  id: Type.Integer(),
  created: Type.String(),
  reporter: Type.String(),
  text: Type.String(),
});
export type FaultReport = Static<typeof FaultReport>;
/** A service call's answer, as the robot gave it. */
export const ActionReply = Type.Object({ success: Type.Boolean(), message: Type.String() });
export type ActionReply = Static<typeof ActionReply>;

export const DemandRow = Type.Object({
  hour: Type.String(),
  destination_id: Type.String(),
  language: Type.String(),
  count: Type.Integer(),
});
export type DemandRow = Static<typeof DemandRow>;

// ---- the kiosk ---------------------------------------------------------------------------------

export const KioskRequestBody = Type.Object(
  {
    /** What the customer typed, or a desk id from a tile. Never stored. */
    text: Type.String({ minLength: 1, maxLength: 200 }),
    /**
     * The language the customer chose on the kiosk (it wins); absent or '' when they have not
     * chosen one, and the robot answers in the language of the words.
     */
    language: Type.Optional(Type.Union([Language, Type.Literal('')])),
    /** Plain language (selkokieli, lättläst, plain English). */
    plain: Type.Optional(Type.Boolean()),
    /** 'escort' (the default): take me there; 'directions': tell me the way, I walk alone. */
    mode: Type.Optional(Type.Union([Type.Literal('escort'), Type.Literal('directions')])),
  },
  { additionalProperties: false },
);
export type KioskRequestBody = Static<typeof KioskRequestBody>;
/** The kiosk's own request: its id is the kiosk's handle to cancel it and to hear its words. */
export const KioskRequestReply = Type.Object({ request_id: Type.String() });
export const KioskCancelBody = Type.Object(
  { request_id: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
);
export const Suggestion = Type.Object({
  id: Type.String(),
  name: Type.String(),
  organisation: Type.String(),
  minutes: Type.Integer(),
});
export type Suggestion = Static<typeof Suggestion>;
export const SuggestQuery = Type.Object(
  { q: Type.String({ maxLength: 200 }), lang: Language },
  { additionalProperties: false },
);

/** A desk tile on the kiosk: its names, what it is for, its state now and the walk to it. */
export const KioskDesk = Type.Object({
  id: Type.String(),
  name: Localized,
  description: Type.Optional(Localized),
  now: DeskNow,
  /** Minutes' walk from the robot's dock, as the robot says it. */
  minutes: Type.Integer(),
});
/** GET /api/kiosk/desks: the tiles grouped by organisation, in the site's order. */
export const KioskDesksReply = Type.Array(
  Type.Object({ organisation: Type.String(), desks: Type.Array(KioskDesk) }),
);
export type KioskDesksReply = Static<typeof KioskDesksReply>;

/** Schemas by name, for the documentation and the tests that check every route has one. */
export const SCHEMAS: Record<string, TSchema> = {
  ErrorReply,
  LoginBody,
  SessionReply,
  SetupReply,
  UserReply,
  AddUserBody,
  SiteReply,
  MapImage,
  DeskNow,
  SetDeskStatusBody,
  LocalMoment,
  CentreNow,
  LiveState,
  MissionLogEntry,
  ServerMessage,
  ClientMessage,
  DispatchBody,
  PauseBody,
  EstopBody,
  TeleopTakeBody,
  FaultReportBody,
  FaultReport,
  ActionReply,
  DemandRow,
  Choice,
  KioskRequestBody,
  KioskRequestReply,
  KioskCancelBody,
  Suggestion,
  SuggestQuery,
  KioskDesk,
  KioskDesksReply,
};
