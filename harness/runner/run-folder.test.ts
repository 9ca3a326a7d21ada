import { existsSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.ts';
import { InputError } from '../errors.ts';
import { newRunFolder, prepareRunFolder } from './run-folder.ts';

const base = tempDir('tally-run-folder-');

describe('newRunFolder', () => {
  it('names runs by their start, apart within one second, and points latest at the newest', () => {
    const series = join(base, 'series');
    const at = new Date('2026-12-03T08:41:18.250Z');
    expect(newRunFolder(series, at)).toBe(join(series, '2026-12-03T08-41-18Z'));
    expect(newRunFolder(series, at)).toBe(join(series, '2026-12-03T08-41-18Z-2'));
    expect(readlinkSync(join(series, 'latest'))).toBe('2026-12-03T08-41-18Z-2');
    expect(existsSync(join(series, `.latest-${process.pid}`))).toBe(false);
  });
});

describe('prepareRunFolder', () => {
  it('refuses a folder holding a run unless forced, and takes any other folder', () => {
    const out = join(base, 'out');
    prepareRunFolder(out);
    writeFileSync(join(out, 'notes.txt'), 'kept');
    prepareRunFolder(out);
    writeFileSync(join(out, 'report.json'), '{}');
    expect(() => prepareRunFolder(out)).toThrow(InputError);
    expect(() => prepareRunFolder(out)).toThrow(`--out ${out}: holds an earlier run (report.json)`);
    prepareRunFolder(out, { force: true });
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    expect(existsSync(join(out, 'notes.txt'))).toBe(true);
  });
});
