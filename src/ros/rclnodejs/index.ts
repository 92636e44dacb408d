/**
 * The ROS 2 backend of the node graph, on rclnodejs. Importing this module does not load
 * rclnodejs: createRclnodejsGraph() imports it when a graph is asked for, and says in one line
 * what is missing when it cannot (see load.ts).
 */
export { createRclnodejsGraph, RclnodejsContext, type RclnodejsGraphOptions } from './context.js';
export { RclnodejsNode } from './node.js';
export {
  loadRclnodejs,
  RclnodejsUnavailableError,
  rosNotSourced,
  missingPackages,
  type LoadOptions,
} from './load.js';
export { qosPolicies, type QoSPolicies } from './qos.js';
export { descriptorFields, type ParameterDescription, type DescriptorFields } from './parameters.js';
export { goalStatusOf, responseCode, uuidString } from './goal-status.js';
export {
  readParamsFile,
  parseParamsFile,
  mergeParamsFiles,
  ParamsFileError,
  WILDCARD,
  type ParamsFile,
  type Overrides,
} from './params-file.js';
