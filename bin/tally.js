#!/usr/bin/env node
// Registers the TypeScript loader so scenarios and pool modules can be plain .ts files, then runs
// the CLI. Both hooks: a user's .ts file outside an ESM package is loaded as CommonJS.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

register();
registerCommonJs();
const { runCli } = await import('../harness/cli.ts');
await runCli(process.argv.slice(2));
