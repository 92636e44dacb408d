/**
 * The ROS 2 interface definitions of the project (interfaces/: medhjalparen_msgs and the vendored
 * upstream packages) as a registry: the full definition text of each type as rosbag2 and
 * foxglove_bridge write it, and CDR encode (validated) and decode.
 */
export { SchemaError, type SchemaErrorCode } from './errors.js';
export { SchemaRegistry, schemaRegistry, type MessageSchema } from './registry.js';
export {
  loadInterfaces,
  type Composite,
  type Definition,
  type Field,
  type InterfaceSet,
} from './definitions.js';
export { fullDefinitionText, textDependencies, DELIMITER } from './full-text.js';
