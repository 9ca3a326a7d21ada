/**
 * The layer rule: a stage of the harness imports only the stages below it, never the one that wires
 * it, and nothing imports in a cycle. Layers from the bottom up; folders in one layer do not import
 * each other. `npm run deps` (part of `npm test`) fails on any break.
 */
const LAYERS = [
  ['errors'],
  ['random', 'load-module', 'clock'],
  ['history'],
  ['os', 'site'],
  ['drivers'],
  ['pool', 'checkers', 'heap'],
  ['scenario'],
  ['report', 'observer', 'nemesis', 'workload'],
  ['telemetry'],
  ['runner', 'service', 'load'],
  ['bench', 'commands'],
  ['cli'],
];

const TEST_CODE = ['\\.test\\.ts$', '/testing/'];

/** `harness/<name>/…` for a folder, `harness/<name>.ts` for a single-file stage. */
const stagePath = (name) => `^harness/${name}(/|\\.ts$)`;

const layerRules = LAYERS.flatMap((layer, index) => {
  const allowed = LAYERS.slice(0, index).flat();
  return layer.map((name) => ({
    name: `layer-${name}`,
    comment: `harness/${name} may import only ${allowed.length ? allowed.join(', ') : 'nothing of the harness'} and itself`,
    severity: 'error',
    // Tests wire stages together as a command would, so the rule binds production modules only.
    from: { path: stagePath(name), pathNot: TEST_CODE },
    to: { path: '^harness/', pathNot: [stagePath(name), ...allowed.map(stagePath)] },
  }));
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-cycles',
      comment: 'Modules that import each other cannot be understood, tested or loaded apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'Production code never imports tests or test helpers (testing/ folders, test/).',
      severity: 'error',
      from: { path: '^harness/', pathNot: TEST_CODE },
      to: { path: ['\\.test\\.ts$', '/testing/', '^test/'] },
    },
    {
      name: 'layers-are-known',
      comment: 'Every stage belongs to a layer: a new folder in harness/ is placed in LAYERS first.',
      severity: 'error',
      from: { path: '^harness/', pathNot: [`^harness/(${LAYERS.flat().join('|')})(/|\\.ts$)`] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
