// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', 'test-results/', 'playwright-report/', '.cache/', 'docker/'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers and booleans in messages read fine; objects would print [object Object].
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `(m) => console.log(m)` and `return refuse(...)` in a void function are idioms here; braces add nothing.
      // Terminal and transcript parsing match escape and control characters on purpose.
      'no-control-regex': 'off',
      // A leading underscore marks a deliberately unused binding (Express error handlers, omitted keys).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // `async` marks methods of promise-returning interfaces (check, resize) that have nothing to await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
    },
  },
  {
    // The wire contract between the page and the server: types and a few pure helpers, so both
    // sides can read it and it drags nothing (Node, packages, server code) into either.
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'protocol/ imports nothing outside protocol/.' }] },
      ],
    },
  },
  {
    // The page reaches the server only over HTTP and WebSockets; the types they share live in protocol/.
    files: ['web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(\\.\\./)+server(/|$)', message: 'web/ never imports server/: share types through protocol/.' },
          ],
        },
      ],
    },
  },
  {
    // Tests and benchmarks: \`let lab: LabInstance\` is set in beforeAll and guarded in afterAll
    // (a failed beforeAll leaves it unset, which the type cannot say), and a `!` on a value the
    // test just created fails loudly enough.
    files: ['test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
