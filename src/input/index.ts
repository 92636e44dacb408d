export { LIMITS, type Limit, type LimitName } from './limits.js';
export { InputError, type InputErrorCode } from './errors.js';
export { readInputFile, readInputFileSync, type ReadOptions } from './read-file.js';
export { excerpt, showControls } from './text.js';
export { resolveInside } from './paths.js';
export { describeThrown } from './thrown.js';
export { yamlTokens } from './yaml-tokens.js';
export { parseBoundedYaml, type ParsedYaml, type YamlProblem } from './yaml.js';
