/**
 * What the contract suite uses of the node graph, in one place. The house rule "src/ros imports
 * nothing else of the project" is written for files directly under src/ros (any '../' leaves
 * the graph there); from this sub-folder '../' is still src/ros, so the rule's pattern is waived
 * here, once.
 */
/* eslint-disable no-restricted-imports -- '../' from src/ros/contract stays inside src/ros */
export type { GraphContext, NodeOptions, Spinning } from '../graph.js';
export type { ActionClient, ClientGoalHandle, Publisher, RosNode, ServerGoalHandle } from '../node-api.js';
export { GoalStatus } from '../node-api.js';
export { GraphDecorator } from '../graph.js';
export type { LaserScan, NavigateToPoseFeedback, NavigateToPoseGoal } from '../messages.js';
export { Parameter, ParameterError, ParameterType } from '../parameters.js';
export { Time } from '../time.js';
