import { describe, expect, it } from 'vitest';
import { RosGraphError } from '../embedded.js';
import { explainInterfaceError } from './interfaces.js';

describe('a type rclnodejs has no code for', () => {
  it('says to build medhjalparen_msgs and generate, keeping rclnodejs’s first line', () => {
    const error = explainInterfaceError(
      'medhjalparen_msgs/msg/GuideStatus',
      new Error('The message required does not exist: medhjalparen_msgs, msg, GuideStatus at /x\nstack'),
    ) as Error;
    expect(error).toBeInstanceOf(RosGraphError);
    expect(error.message).toBe(
      'medhjalparen_msgs/msg/GuideStatus: rclnodejs has no code for this type (The message required does not exist: medhjalparen_msgs, msg, GuideStatus at /x): build interfaces/medhjalparen_msgs with colcon (colcon build --base-paths interfaces), source install/setup.bash, then run `npx generate-ros-messages` so rclnodejs generates it',
    );
  });

  it('says which apt package brings a ROS package’s type', () => {
    const error = explainInterfaceError(
      'people_msgs/msg/People',
      new Error('people_msgs not found'),
    ) as Error;
    expect(error.message).toMatch(/apt-get install ros-\$ROS_DISTRO-people-msgs.*npx generate-ros-messages/);
  });

  it('leaves any other error as it was', () => {
    const other = new Error('Invalid topic name: contains a space');
    expect(explainInterfaceError('std_msgs/msg/String', other)).toBe(other);
  });
});
