"""Starts Medhjälparen's controller on the ROS 2 graph, as one process of ROS 2 nodes.

    ros2 launch launch/medhjalparen.launch.py base_port:=/dev/ttyUSB0 lidar_port:=/dev/ttyUSB1 \\
        [site:=maps/iso-omena] [params_file:=launch/params.yaml] [use_sim_time:=false]

The controller is a Node.js program, not a ROS package executable: the launch file runs
`medhjalparen run --world hardware --graph ros2` with the parameters file, and every node of the
robot joins the ROS 2 graph through rclnodejs (`ros2 node list`, `ros2 param`, rviz see them).
Before launching, in the package folder, with ROS 2 sourced (source /opt/ros/jazzy/setup.bash):

    npm install rclnodejs                       # builds against the sourced ROS 2
    colcon build --base-paths interfaces        # the robot's own messages, medhjalparen_msgs
    source install/setup.bash
    npx generate-ros-messages                   # rclnodejs's code for medhjalparen_msgs

use_sim_time:=true makes every node take ROS time from /clock (a simulator or `ros2 bag play
--clock` publishing it); it reaches every node as a ROS 2 launch gives it: under '/**' in a
parameters file of its own, passed after params_file.
"""

import os
import tempfile

from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, ExecuteProcess, OpaqueFunction
from launch.substitutions import LaunchConfiguration

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ARGUMENTS = [
    ('base_port', '/dev/ttyUSB0', "The drive base's serial device."),
    ('lidar_port', '/dev/ttyUSB1', "The RPLIDAR's serial device."),
    ('site', os.path.join(PACKAGE, 'maps', 'iso-omena'), 'The site folder (map, desks, dock).'),
    (
        'params_file',
        os.path.join(PACKAGE, 'launch', 'params.yaml'),
        "A ROS 2 parameters file for the robot's nodes (launch/params.yaml lists them all).",
    ),
    ('use_sim_time', 'false', "true: every node's ROS time comes from /clock."),
    ('listen', '127.0.0.1:8080', 'Where the operator console and the kiosk are served.'),
    ('log_level', 'warn', "The nodes' structured logs on stderr: error, warn, info or debug."),
]


def _use_sim_time_file(value):
    """A parameters file giving every node use_sim_time, as the launch argument says."""
    if value not in ('true', 'false'):
        raise RuntimeError(f"use_sim_time: expected true or false, got '{value}'")
    with tempfile.NamedTemporaryFile(
        'w', prefix='medhjalparen-use-sim-time-', suffix='.yaml', delete=False
    ) as f:
        f.write(f'/**:\n  ros__parameters:\n    use_sim_time: {value}\n')
        return f.name


def _controller(context):
    arg = {name: LaunchConfiguration(name).perform(context) for name, _, _ in ARGUMENTS}
    sim_time = _use_sim_time_file(arg['use_sim_time'].strip().lower())
    cmd = [
        'node', os.path.join(PACKAGE, 'bin', 'medhjalparen.js'), 'run',
        '--world', 'hardware', '--graph', 'ros2',
        '--base', arg['base_port'], '--lidar', arg['lidar_port'],
        '--site', arg['site'],
        '--params-file', arg['params_file'], '--params-file', sim_time,
        '--listen', arg['listen'], '--log-level', arg['log_level'],
    ]
    # Ctrl-C reaches the controller as SIGINT: it stops the robot, its motors stopped, then ends.
    return [
        ExecuteProcess(
            cmd=cmd, cwd=PACKAGE, name='medhjalparen', output='screen', sigterm_timeout='10'
        )
    ]


def generate_launch_description():
    declared = [
        DeclareLaunchArgument(name, default_value=default, description=description)
        for name, default, description in ARGUMENTS
    ]
    return LaunchDescription([*declared, OpaqueFunction(function=_controller)])
