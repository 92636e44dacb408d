import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaError, SchemaRegistry, schemaRegistry, textDependencies } from './index.js';

const SEP = '='.repeat(80);
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A tree with `interfaces/<path>` files of the given texts, plus the upstream files it names from vendor/. */
function tree(files: Record<string, string>, vendor: string[] = []): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'medhjalparen-schemas-'));
  made.push(root);
  const repoVendor = path.join(schemaRoot(), 'interfaces/vendor');
  for (const rel of vendor) {
    const to = path.join(root, 'interfaces/vendor', rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(repoVendor, rel), to);
  }
  for (const [rel, text] of Object.entries(files)) {
    const to = path.join(root, 'interfaces', rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, text);
  }
  return root;
}
function schemaRoot(): string {
  return path.resolve(import.meta.dirname, '../../..');
}
function loadError(root: string): SchemaError {
  try {
    SchemaRegistry.load(root);
  } catch (err) {
    expect(err).toBeInstanceOf(SchemaError);
    return err as SchemaError;
  }
  throw new Error('expected load to fail');
}

describe('a bad definition names its file and line', () => {
  it('a line that does not parse', () => {
    const err = loadError(tree({ 'test_msgs/msg/Bad.msg': '# a comment\nfloat64 x\nfloat64[ y\n' }));
    expect(err.code).toBe('BAD_DEFINITION');
    expect(err.message).toBe("interfaces/test_msgs/msg/Bad.msg:3: Could not parse line: 'float64[ y'");
    // A third word is a default value, which must fit the type.
    const literal = loadError(tree({ 'test_msgs/msg/Bad.msg': 'float64 x\nfloat64 y z w\n' }));
    expect(literal.message).toBe('interfaces/test_msgs/msg/Bad.msg:2: Invalid literal of type float64: z w');
  });

  it('a field name ROS does not allow', () => {
    const err = loadError(tree({ 'test_msgs/msg/Bad.msg': 'float64 x\n\nfloat64 Speed\n' }));
    expect(err.message).toBe('interfaces/test_msgs/msg/Bad.msg:3: Invalid field name: Speed');
  });

  it('a field whose type no file defines', () => {
    const root = tree({ 'test_msgs/msg/Bad.msg': 'std_msgs/Header header\n# the pose\nPoint where\n' }, [
      'std_msgs/msg/Header.msg',
      'builtin_interfaces/msg/Time.msg',
    ]);
    expect(loadError(root).message).toBe(
      "interfaces/test_msgs/msg/Bad.msg:3: field 'where' has type 'Point' (test_msgs/msg/Point), which no .msg file under interfaces/ defines",
    );
  });

  it('a service without its separator, at the line of the service part', () => {
    expect(loadError(tree({ 'test_msgs/srv/Ask.srv': 'string q\nstring a\n' })).message).toBe(
      "interfaces/test_msgs/srv/Ask.srv:1: a .srv has 2 parts separated by '---' lines, found 1",
    );
    const err = loadError(tree({ 'test_msgs/srv/Ask.srv': 'string q\n---\nbool ok\nnumber n\n' }));
    expect(err.message).toBe(
      "interfaces/test_msgs/srv/Ask.srv:4: field 'n' has type 'number' (test_msgs/msg/number), which no .msg file under interfaces/ defines",
    );
  });

  it('a type that contains itself', () => {
    const root = tree({ 'test_msgs/msg/A.msg': 'B b\n', 'test_msgs/msg/B.msg': 'float64 x\nA[] back\n' });
    expect(loadError(root).message).toBe(
      'interfaces/test_msgs/msg/B.msg:2: test_msgs/msg/A → test_msgs/msg/B → test_msgs/msg/A contains itself',
    );
  });

  it('concatenated text pasted into a .msg file', () => {
    const err = loadError(
      tree({ 'test_msgs/msg/A.msg': `float64 x\n${SEP}\nMSG: test_msgs/B\nfloat64 y\n` }),
    );
    expect(err.message).toBe(
      `interfaces/test_msgs/msg/A.msg:2: '${SEP}' is a separator of concatenated definitions`,
    );
  });
});

describe('full definitions, as rosbag2 and foxglove_bridge write them', () => {
  it('puts the type first, then each dependency depth first in sorted order, each once', () => {
    const root = tree({
      'test_msgs/msg/Top.msg': '# top\nZeta z\nAlpha a\nZeta[] more\n',
      'test_msgs/msg/Alpha.msg': 'Zeta inner\n',
      'test_msgs/msg/Zeta.msg': 'uint8 v\n',
    });
    const data = SchemaRegistry.load(root).schema('test_msgs/msg/Top').data;
    expect(data).toBe(
      [
        '# top\nZeta z\nAlpha a\nZeta[] more\n',
        `${SEP}\nMSG: test_msgs/Alpha\nZeta inner\n`,
        `${SEP}\nMSG: test_msgs/Zeta\nuint8 v\n`,
      ].join('\n'),
    );
  });

  it("finds dependencies with rosbag2's expression: type tokens at line starts, primitives skipped", () => {
    expect(
      textDependencies(
        '# Foo bar\nstd_msgs/Header header\nPoint[] p\nPoint[3] q\nint32 X=1\nstring<=5 s\n',
        'geometry_msgs',
      ),
    ).toEqual(['geometry_msgs/Point', 'std_msgs/Header']);
  });

  // rosbag2's get_full_text() on a ROS 2 Jazzy system, as a public test quotes it.
  const POSE_STAMPED = `# A Pose with reference coordinate frame and timestamp

std_msgs/Header header
Pose pose

${SEP}
MSG: geometry_msgs/Pose
# A representation of pose in free space, composed of position and orientation.

Point position
Quaternion orientation

${SEP}
MSG: geometry_msgs/Point
# This contains the position of a point in free space
float64 x
float64 y
float64 z

${SEP}
MSG: geometry_msgs/Quaternion
# This represents an orientation in free space in quaternion form.

float64 x 0
float64 y 0
float64 z 0
float64 w 1

${SEP}
MSG: std_msgs/Header
# Standard metadata for higher-level stamped data types.
# This is generally used to communicate timestamped data
# in a particular coordinate frame.

# Two-integer timestamp that is expressed as seconds and nanoseconds.
builtin_interfaces/Time stamp

# Transform frame with which this data is associated.
string frame_id

${SEP}
MSG: builtin_interfaces/Time
# This message communicates ROS Time defined here:
# https://design.ros2.org/articles/clock_and_time.html

# The seconds component, valid over all int32 values.
int32 sec

# The nanoseconds component, valid in the range [0, 1e9), to be added to the seconds component. 
# e.g.
# The time -1.7 seconds is represented as {sec: -2, nanosec: 3e8}
# The time 1.7 seconds is represented as {sec: 1, nanosec: 7e8}
uint32 nanosec
`;
  const IMAGE_HEAD = `# This message contains an uncompressed image
# (0, 0) is at top-left corner of image

std_msgs/Header header # Header timestamp should be acquisition time of image
                             # Header frame_id should be optical frame of camera
                             # origin of frame should be optical center of cameara
                             # +x should point to the right in the image
                             # +y should point down in the image
                             # +z should point into to plane of the image
                             # If the frame_id here and the frame_id of the CameraInfo
                             # message associated with the image conflict
                             # the behavior is undefined

uint32 height                # image height, that is, number of rows
uint32 width                 # image width, that is, number of columns

# The legal values for encoding are in file include/sensor_msgs/image_encodings.hpp
# If you want to standardize a new string format, join
# ros-users@lists.ros.org and send an email proposing a new encoding.

string encoding       # Encoding of pixels -- channel meaning, ordering, size
                      # taken from the list of strings in include/sensor_msgs/image_encodings.hpp

uint8 is_bigendian    # is this data bigendian?
uint32 step           # Full row length in bytes
uint8[] data          # actual matrix data, size is (step * rows)

${SEP}
MSG: std_msgs/Header
`;

  it('matches rosbag2 byte for byte for geometry_msgs/PoseStamped and sensor_msgs/Image', () => {
    const registry = schemaRegistry();
    expect(registry.schema('geometry_msgs/msg/PoseStamped').data).toBe(POSE_STAMPED);
    const image = registry.schema('sensor_msgs/msg/Image').data;
    expect(image.startsWith(IMAGE_HEAD)).toBe(true);
    expect(image.endsWith(POSE_STAMPED.slice(POSE_STAMPED.indexOf('# Standard metadata')))).toBe(true);
  });
});
