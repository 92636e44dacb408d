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
    ignores: ['**/*.test.ts', 'src/cli.ts', 'src/cli/**', 'src/ros/wall-clock.ts'],
    rules: { 'no-restricted-syntax': ['error', ...wallClock] },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
