#!/usr/bin/env node
// Registers the TypeScript loader so scenarios and pool modules can be plain .ts files, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../harness/cli.ts');
await runCli(process.argv.slice(2));
