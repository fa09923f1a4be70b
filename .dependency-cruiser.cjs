/**
 * The layering rules CI enforces (`npm run lint:deps`). Each rule says why it exists: the cost of
 * a wrong import is paid later, by whoever has to change one side without breaking the other.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle means neither module can be read, tested or replaced without the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'transport-not-topology',
      severity: 'error',
      comment:
        'Transports move messages between names they are given; topology/ decides the names and builds on the transport contract, so the dependency points one way.',
      from: { path: '^runtime/transport/' },
      to: { path: '^runtime/topology/' },
    },
    {
      name: 'config-not-runtime',
      severity: 'error',
      comment: 'config/ is the bottom layer: the runtime reads the resolved config, never the other way round.',
      from: { path: '^config/' },
      to: { path: '^runtime/' },
    },
    {
      name: 'errors-at-the-bottom',
      severity: 'error',
      comment: 'errors/ holds the coded errors every layer throws, so it can depend on none of them.',
      from: { path: '^errors/' },
      to: { path: '^(config|runtime|plugins)/' },
    },
    {
      name: 'plugins-use-public-entry-points',
      severity: 'error',
      comment:
        "A plugin sees the runtime as its authors do: 'stokcerdas', 'stokcerdas/testing' and the other package exports. Anything deeper is internal and may change.",
      from: { path: '^plugins/' },
      to: {
        path: '^(runtime|config|test|bench)/',
        // the files package.json's "exports" map the public entry points to
        pathNot: ['^runtime/index\\.ts$', '^runtime/testing/index\\.ts$', '^runtime/context/public\\.ts$', '^runtime/webhooks/index\\.ts$', '^runtime/client/index\\.ts$'],
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve fails at run time; catch it here.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules/', '^test/fixtures/plugins/broken/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
