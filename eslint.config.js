// ESLint flat config: typescript-eslint's recommended rules over the whole code base, and the
// layers of src/ (docs/architecture.md, "Layers"), written once below and turned into
// import restrictions for each directory.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, from the bottom. A directory imports its own files and those of the layers
 * below its own; directories that share a layer are independent of each other. src/config.ts
 * (the environment, read once) is below every layer but the domain.
 */
const LAYERS = [
  ['domain'],
  ['classifier', 'credentials'],
  ['store'],
  ['jobs', 'live'],
  ['mail'],
  ['notify'],
  ['webhooks', 'import', 'export'],
  ['services'],
  ['server', 'demo'],
  ['cli'],
];

/** What src/domain may import besides itself: computation only, no I/O, no configuration. */
const DOMAIN_PACKAGES = ['node:crypto', 'markdown-it', 'sanitize-html', 'htmlparser2'];

/**
 * What src/server may import from src/store besides types: reads, since a route may read where
 * nothing is checked beyond visibility, while every write goes through a service. rows.ts (row
 * types and their pure mappers) is open to it whole.
 */
const STORE_READS = {
  /** Functions whose verb says they only read. */
  verbs: ['get', 'list', 'find', 'search', 'read', 'latest', 'last', 'has', 'is', 'top'],
  /** Reads named by what they count or gather. */
  names: [
    'authorComments',
    'commentStats',
    'decidedByStats',
    'pendingCount',
    'queueCounts',
    'recordSurroundings',
    'storyCounts',
    'transparencyFigures',
  ],
  /** Opening and migrating the database when the app starts (app.ts). */
  startup: ['openStore', 'migrate'],
};

const DOCS = 'see docs/architecture.md, "Layers"';

/** An import of src/<dir>, from anywhere inside src/ (or of src/config.ts, dir 'config'). */
const importOf = (dir) => (dir === 'config' ? '^(\\.\\./)+config\\.[jt]s$' : `^(\\.\\./)+${dir}/`);

const list = (names) =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

function layerRestrictions(dir) {
  const level = LAYERS.findIndex((layer) => layer.includes(dir));
  const below = LAYERS.slice(0, level).flat();
  const allowed = dir === 'domain' ? [] : [...below, 'config.ts'];
  const forbidden = [
    ...LAYERS.slice(level)
      .flat()
      .filter((d) => d !== dir),
  ];
  if (dir === 'domain') forbidden.push('config');
  const rule = allowed.length
    ? `src/${dir} imports only the layers below it (${list(allowed.map((d) => `src/${d}`))})`
    : 'src/domain is the bottom layer and imports nothing else of src/';
  const patterns = forbidden.map((other) => ({
    regex: importOf(other),
    message: `${rule}, not src/${other === 'config' ? 'config.ts' : other}: ${DOCS}.`,
  }));
  if (dir === 'domain') {
    const open = DOMAIN_PACKAGES.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    patterns.push({
      regex: `^(?!\\.|(${open.join('|')})$)`,
      message: `src/domain is pure (no I/O, and pages may bundle it): of packages it imports only ${list(DOMAIN_PACKAGES)}; ${DOCS}.`,
    });
  }
  if (dir === 'server') {
    const { verbs, names, startup } = STORE_READS;
    const read = `(${verbs.join('|')})(?![a-z])(?!\\w*(Insert|Update|Upsert|Delete|Create))\\w*`;
    patterns.push({
      regex: '^(\\.\\./)+store/(?!rows\\.[jt]s$)',
      allowTypeImports: true,
      // Types and constants (capitalised), reads, and the store's opening.
      allowImportNamePattern: `^([A-Z]\\w*|${read}|${[...names, ...startup].join('|')})$`,
      message: `src/server imports from src/store only types and reads; a write goes through a function of src/services: ${DOCS}.`,
    });
  }
  return {
    files: [`src/${dir}/**/*.{ts,tsx,js}`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'build/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
  ...LAYERS.flat().map(layerRestrictions),
  {
    // The pages share with the server only its pure rules and words (src/domain/vocabulary.ts).
    files: ['web/**/*.{ts,tsx,js}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src/(?!domain/)',
              message: `Pages import from src/ only src/domain (pure, bundled for the browser): ${DOCS}.`,
            },
          ],
        },
      ],
    },
  },
);
