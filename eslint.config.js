// Lint rules: typescript-eslint's recommended set, plus the house rule that control code
// reads the node clock (see DESIGN.md, "One clock").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const wallClock = [
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Control code reads the node clock (node.now()), not Date.now().',
  },
  {
    selector: "CallExpression[callee.name='setTimeout']",
    message: 'Control code schedules on the node clock (node.createTimer), not setTimeout.',
  },
  {
    selector: "CallExpression[callee.name='setInterval']",
    message: 'Control code schedules on the node clock (node.createTimer), not setInterval.',
  },
];

/** An import of the top-level folder `name` (sim/, cli/) from a layer below it. */
function layer(name) {
  return {
    regex: `(^|/)${name}/`,
    message: `${name}/ sits above this layer: bin → cli → {sim, robot} → … → ros; never import upwards.`,
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'bench/results/', 'out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts', 'behaviors/**/*.ts', 'sim/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/ros/wall-clock.ts'],
    rules: { 'no-restricted-syntax': ['error', ...wallClock] },
  },
  // The house, upright: bin → cli → {sim, robot}; sim → robot; robot → the rest → ros. The
  // simulator is a world plug-in and a test harness: the robot never imports it, and only the
  // command line (and tests and benchmarks, above everything) choose it.
  {
    files: ['src/**/*.ts', 'behaviors/**/*.ts', 'firmware-bridge/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('sim'), layer('cli')] }] },
  },
  {
    files: ['sim/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('cli')] }] },
  },
  {
    files: ['src/ros/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./',
              message: 'src/ros is the node graph alone: it imports nothing else of the project.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js', 'test/support/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
