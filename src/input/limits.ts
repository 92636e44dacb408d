/**
 * How big any input may be: one table, checked before anything is allocated for the input, and
 * documented in docs/limits.md (a test keeps the two in step). Each limit is far above what the
 * floor needs and far below what would exhaust the robot's computer; exceeding one is an error
 * that names the input and the limit, never a crash or a hang.
 */
export interface Limit {
  readonly value: number;
  readonly unit: string;
  /** What it bounds, for messages and the docs. */
  readonly what: string;
  /** Why this value (what it leaves room for). */
  readonly why: string;
}

const MB = 1024 * 1024;

export const LIMITS = {
  yamlFileBytes: {
    value: 1 * MB,
    unit: 'bytes',
    what: 'a YAML file (site.yaml, a map YAML, a scenario)',
    why: 'a large site.yaml is about 30 KB',
  },
  yamlDepth: {
    value: 64,
    unit: 'levels',
    what: 'how deeply mappings and lists may nest in a YAML file',
    why: 'site.yaml nests 6 deep; the YAML composer recurses per level, and 1,000 levels overflow its stack',
  },
  yamlTokens: {
    value: 300_000,
    unit: 'tokens',
    what: 'the pieces a YAML file is split into before it is parsed (an alias counts 4, { and [ 3, a comma 2)',
    why: 'the parser needs 200 to 400 bytes a piece (about 120 MB at most); a scenario of 7,000 customers with expectations is 300,000',
  },
  mapImageBytes: {
    value: 64 * MB,
    unit: 'bytes',
    what: 'a map image (PGM)',
    why: 'the largest map allowed (mapCells) as an ASCII (P2) PGM, about 16 bytes a cell at most',
  },
  mapCells: {
    value: 4 * MB,
    unit: 'cells',
    what: "a map's width × height",
    why: 'a 10,000 m² floor at 5 cm (40,000 m² at 10 cm); the robot takes about 50 bytes a cell for costmaps, distance fields and planning, so a run stays within 200 MB of its start',
  },
  mapResolutionMin: {
    value: 0.01,
    unit: 'm/cell',
    what: 'the finest map resolution',
    why: 'finer than the lidar can see; SLAM maps use 0.02–0.1',
  },
  mapResolutionMax: {
    value: 1,
    unit: 'm/cell',
    what: 'the coarsest map resolution',
    why: 'a cell must be smaller than the robot to plan around anything',
  },
  mapSideCells: {
    value: 16_384,
    unit: 'cells',
    what: "a map's width or height",
    why: 'an 820 m side at 5 cm; keeps a long thin map from costing per row what a square one costs per cell',
  },
  mapCoordinateM: {
    value: 10_000,
    unit: 'm',
    what: "how far from 0 a map's origin, a pose or a zone corner may be (|x|, |y|)",
    why: 'a floor is a few hundred metres across; a larger number is a typo or millimetres for metres',
  },
  siteListItems: {
    value: 1000,
    unit: 'items',
    what: "items in one list of a site: destinations, landmarks, zones, one language's aliases, a desk's services, elsewhere entries, one language's terms",
    why: 'the largest centre has under 100 desks, each with a dozen aliases',
  },
  zoneCorners: {
    value: 1000,
    unit: 'corners',
    what: "corners of all of a site's zones together",
    why: 'a zone needs 4 to 20; costmaps rasterise every corner on every row',
  },
  issuesListed: {
    value: 100,
    unit: 'problems',
    what: 'problems listed for one site (map check, loading); the rest are counted',
    why: 'fix the first hundred and check again; a broken file never floods the terminal',
  },
  imageFileBytes: {
    value: 64 * MB,
    unit: 'bytes',
    what: 'an image file (PNG, JPEG)',
    why: 'an 8-megapixel image is at most about 32 MB even uncompressed',
  },
  imagePixels: {
    value: 8 * MB,
    unit: 'pixels',
    what: "an image's width × height, read from its header before decoding",
    why: '4096 × 2048, room for a 4K frame (3840 × 2160); the rear camera gives 640 × 480, and decoding a JPEG this size stays within 200 MB',
  },
  modelFileBytes: {
    value: 256 * MB,
    unit: 'bytes',
    what: 'an ONNX model file',
    why: 'BlazeFace is under 1 MB and YOLOv8-m about 100 MB',
  },
  sdfBytes: {
    value: 4 * MB,
    unit: 'bytes',
    what: 'an SDFormat world file read by sim import-sdf',
    why: 'room for a world of 20,000 wall models (the exported sample floor is 62 KB); parsing takes about 40 bytes of memory and 1.5 s a MB, so a 4 MB world stays within 150 MB and 8 s',
  },
  meshFileBytes: {
    value: 64 * MB,
    unit: 'bytes',
    what: "a mesh file (STL, OBJ) named by an SDF world's collision",
    why: 'a binary STL of 1.3 million triangles; only its bounding box is kept',
  },
  sdfSliceCells: {
    value: 64 * MB,
    unit: 'cells',
    what: "map cells tested when slicing an SDF world's solids (each solid's bounding rectangle in cells, summed)",
    why: 'about a second of work; the exported sample floor needs under 2 million',
  },
  scenarioCustomers: {
    value: 10_000,
    unit: 'customers',
    what: 'customers listed in one scenario',
    why: 'two days of the busiest floor, one request at a time',
  },
  crowdPeople: {
    value: 500,
    unit: 'people',
    what: "a scenario's crowd (its count, or what its density comes to)",
    why: 'a busy 5,000 m² floor at 0.1 people per m²; the crowd step is quadratic within 5 m, and 500 people keep a run faster than real time',
  },
  scenarioEvents: {
    value: 10_000,
    unit: 'events',
    what: 'events listed in one scenario',
    why: 'as many as customers',
  },
  fleetRobots: {
    value: 16,
    unit: 'robots',
    what: 'robots in one fleet scenario, all floors together',
    why: "each runs its own whole controller on one clock: two run at about half one's speed, so sixteen still run near real time on one core",
  },
  fleetFloors: {
    value: 8,
    unit: 'floors',
    what: 'floors (sites) in one fleet scenario',
    why: 'a centre of several floors, or a few sites side by side; each floor has at least one robot, and robots are limited too',
  },
  fleetMessageBytes: {
    value: 16 * 1024,
    unit: 'bytes',
    what: 'one fleet message or record on NATS (a state, task, assignment, report, desk status, audit entry)',
    why: 'the largest, a task record with its 32 steps of history, is about 4 KiB; checked before it is parsed',
  },
  durationS: {
    value: 30 * 24 * 3600,
    unit: 's',
    what: 'a run or a scenario time limit',
    why: 'a month; longer runs are a mistake, not a plan',
  },
  requestChars: {
    value: 1000,
    unit: 'characters',
    what: "a customer's request",
    why: 'a spoken or typed question is a sentence or two',
  },
  nameChars: {
    value: 200,
    unit: 'characters',
    what: 'a name, id, alias or description field in a site or scenario',
    why: 'the longest unit name on the floor is under 60 characters',
  },
  batchSeeds: {
    value: 1000,
    unit: 'seeds',
    what: 'seeds per scenario in one sim batch (--seeds)',
    why: 'a thousand seeds of a scenario show a failure rate of 0.1 %; more is a sweep for a cluster, not a laptop',
  },
  batchJobs: {
    value: 2000,
    unit: 'runs',
    what: 'runs in one sim batch (scenario files × seeds)',
    why: "every run's report and trajectory (5–50 KB) are held for the merged report and drawn in one HTML file, which stays under 100 MB and opens in a browser",
  },
  dayVisits: {
    value: 100_000,
    unit: 'visits',
    what: 'visitors to the centre in one simulated day (sim day --visits)',
    why: "twenty times the Iso Omena centre's 4,500; a share ask the robot, whose arrival times are all held for the day (a few bytes each), and far more than one robot can serve",
  },
  excerptChars: {
    value: 80,
    unit: 'characters',
    what: 'an excerpt of the input quoted in an error',
    why: 'enough to recognise the value; an error never echoes a whole file',
  },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;
