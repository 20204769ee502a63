/* eslint-env node */

/** Import paths that are wrong everywhere (spec/ included). */
const everywhere = [
  {
    group: ['fp-ts/*', '!fp-ts/lib', '!fp-ts/lib/*'],
    message: 'Import fp-ts/lib/X.js: directory imports fail in plain Node ESM.',
  },
  {
    group: ['io-ts/*', '!io-ts/lib', '!io-ts/lib/*'],
    message: 'Import io-ts/lib/X.js: directory imports fail in plain Node ESM.',
  },
  { group: ['rxjs/operators'], message: "Import from 'rxjs': 'rxjs/operators' is the legacy path." },
];

/** In src/, fp-ts and io-ts modules come through package.json `imports`, so that bundlers take their ES modules. */
const inSource = [
  { group: ['rxjs/operators'], message: "Import from 'rxjs': 'rxjs/operators' is the legacy path." },
  {
    group: ['fp-ts', 'fp-ts/*', 'io-ts/*'],
    message: 'Import #fp-ts/X or #io-ts/X (package.json imports): bundlers then take the ES modules, Node lib/.',
  },
];

/** The layers above a folder, as import-path patterns (relative imports name the folder they reach). */
const layer = {
  rxjs: { regex: '^rxjs($|/)', message: 'The pure core has no RxJS: stream wiring belongs above it.' },
  node: { regex: '^node:', message: 'The portable core runs in browsers: node: modules belong in src/transport/node.' },
  operators: { regex: '(^|/)operators/', message: 'Operators sit above this layer.' },
  transport: { regex: '(^|/)transport/', message: 'Transports sit above this layer.' },
  nodeTransport: { regex: '(^|/)transport/node/', message: 'The Node transports are reached only from rxtelnet/node.' },
  session: { regex: '(^|/)session/', message: 'The connection (session/) sits above this layer.' },
  helpers: { regex: '(^|/)option-helpers/', message: 'The option helpers sit above the connection.' },
  mud: { regex: '^(\\.\\./)+mud/', message: 'rxtelnet/mud is an entry point: import the modules it names.' },
  nodeEntry: { regex: '^(\\.\\./)+node/', message: 'rxtelnet/node is the top Node layer: nothing below imports it.' },
  testing: { regex: '^(\\.\\./)+testing/', message: 'rxtelnet/testing is for tests: nothing in src imports it.' },
  cli: { regex: '(^|/)cli/', message: 'The command line is an application of the public API: nothing imports it.' },
};

/** What each folder of src/ may not import: imports only point down (see shared DESIGN.md, Layers). */
const forbidden = {
  'src/{protocol,codec,negotiation,options,text}/**': [
    'rxjs',
    'node',
    'operators',
    'transport',
    'session',
    'helpers',
    'mud',
    'nodeEntry',
    'testing',
    'cli',
  ],
  'src/operators/**': ['node', 'transport', 'session', 'helpers', 'mud', 'nodeEntry', 'testing', 'cli'],
  'src/transport/*.ts': ['node', 'operators', 'session', 'helpers', 'mud', 'nodeEntry', 'testing', 'cli'],
  'src/transport/node/**': ['operators', 'session', 'helpers', 'mud', 'nodeEntry', 'testing', 'cli'],
  'src/session/**': ['node', 'nodeTransport', 'helpers', 'mud', 'nodeEntry', 'testing', 'cli'],
  'src/option-helpers/**': ['node', 'nodeTransport', 'mud', 'nodeEntry', 'testing', 'cli'],
  'src/expect/**': ['node', 'nodeTransport', 'helpers', 'mud', 'nodeEntry', 'testing', 'cli'],
  'src/{index,version}.ts': ['node', 'nodeTransport', 'mud', 'nodeEntry', 'testing', 'cli'],
  'src/mud/**': ['node', 'nodeTransport', 'nodeEntry', 'testing', 'cli'],
  'src/node/**': ['testing', 'cli'],
  'src/testing/**': ['node', 'nodeTransport', 'helpers', 'mud', 'nodeEntry', 'cli'],
  'src/cli/**': ['testing'],
};

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
    'no-restricted-imports': ['error', { patterns: everywhere }],
  },
  overrides: [
    ...Object.entries(forbidden).map(([files, above]) => ({
      files: [files],
      rules: {
        'no-restricted-imports': ['error', { patterns: [...inSource, ...above.map((name) => layer[name])] }],
      },
    })),
    {
      files: ['spec/**/*.ts'],
      rules: {
        '@typescript-eslint/no-non-null-assertion': 'off',
      },
    },
  ],
};
