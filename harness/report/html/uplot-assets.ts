import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inlineable } from './escape.ts';

/** uPlot's script and style, inlined into every page so that it draws offline, from a CI artefact or a mail attachment. */
export interface ChartAssets {
  script: string;
  style: string;
}

let assets: ChartAssets | undefined;

/** Read once per process from the installed `uplot` package (its minified IIFE build defines the global `uPlot`). */
export function chartAssets(): ChartAssets {
  if (assets) return assets;
  // The package's main file is dist/uPlot.cjs.js: its folder holds the browser builds.
  const dist = dirname(createRequire(import.meta.url).resolve('uplot'));
  assets = {
    script: inlineable(readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'), 'script'),
    style: inlineable(readFileSync(join(dist, 'uPlot.min.css'), 'utf8'), 'style'),
  };
  return assets;
}
