/* eslint-env node */
module.exports = {
  root: true,
  parser: '@typescript-eslint/parser',
  parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname, sourceType: 'module' },
  plugins: ['@typescript-eslint'],
  extends: [
    'eslint:recommended',
    'plugin:@typescript-eslint/strict-type-checked',
    'plugin:@typescript-eslint/stylistic-type-checked',
    'prettier',
  ],
  env: { es2022: true },
  ignorePatterns: ['dist/', 'node_modules/', 'bench/corpus/', '*.mjs', '*.cjs'],
  rules: {
    '@typescript-eslint/no-explicit-any': 'error',
    '@typescript-eslint/consistent-type-imports': 'error',
    '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['fp-ts/*', '!fp-ts/lib', '!fp-ts/lib/*'],
            message: 'Import fp-ts/lib/X.js: directory imports fail in plain Node ESM.',
          },
          {
            group: ['io-ts/*', '!io-ts/lib', '!io-ts/lib/*'],
            message: 'Import io-ts/lib/X.js: directory imports fail in plain Node ESM.',
          },
        ],
      },
    ],
  },
  overrides: [
    {
      files: ['src/**/*.ts'],
      excludedFiles: ['src/transport/node/**', 'src/cli/**'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { group: ['node:*'], message: 'The core runs in browsers: node: modules belong in src/transport/node/.' },
              { group: ['fp-ts/*', '!fp-ts/lib', '!fp-ts/lib/*'], message: 'Import fp-ts/lib/X.js.' },
              { group: ['io-ts/*', '!io-ts/lib', '!io-ts/lib/*'], message: 'Import io-ts/lib/X.js.' },
            ],
          },
        ],
      },
    },
    {
      files: ['spec/**/*.ts'],
      rules: {
        '@typescript-eslint/no-non-null-assertion': 'off',
      },
    },
  ],
};
