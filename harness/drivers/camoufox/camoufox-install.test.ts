import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../errors.ts';
import { camoufoxInstallDir, camoufoxLayout, checkCamoufoxInstalled } from './camoufox-install.ts';
import { makeFakeCamoufoxInstall } from './testing/fake-camoufox-install.ts';
import type { GuardedReport } from './testing/network-guarded-child.ts';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const emptyDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-camoufox-empty-'));
  made.push(dir);
  return dir;
};
const fakeInstall = (version?: { version: string; release: string }) => {
  const fake = makeFakeCamoufoxInstall(version);
  made.push(fake.dir);
  return fake;
};

/** The error thrown, to look at its message. */
function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected it to throw');
}

describe('camoufoxInstallDir: the folder camoufox-js would use', () => {
  it('follows TALLY_CAMOUFOX_DIR, then CAMOUFOX_INSTALL_DIR, then the per-user cache', () => {
    expect(camoufoxInstallDir({ TALLY_CAMOUFOX_DIR: '/opt/a', CAMOUFOX_INSTALL_DIR: '/opt/b', HOME: '/home/u' }, 'linux')).toBe('/opt/a');
    expect(camoufoxInstallDir({ CAMOUFOX_INSTALL_DIR: '/opt/b', HOME: '/home/u' }, 'linux')).toBe('/opt/b');
    expect(camoufoxInstallDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.cache/camoufox');
    expect(camoufoxInstallDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Caches/camoufox');
  });

  it('resolves a relative override, as camoufox-js does', () => {
    expect(camoufoxInstallDir({ CAMOUFOX_INSTALL_DIR: 'vendor/camoufox' }, 'linux')).toBe(join(process.cwd(), 'vendor/camoufox'));
  });

  it('knows where each platform keeps the files', () => {
    expect(camoufoxLayout('/c', 'linux')).toMatchObject({
      executable: '/c/camoufox-bin',
      versionJson: '/c/version.json',
      propertiesJson: '/c/properties.json',
    });
    expect(camoufoxLayout('/c', 'darwin')).toMatchObject({
      executable: '/c/Camoufox.app/Contents/MacOS/camoufox',
      versionJson: '/c/version.json',
      propertiesJson: '/c/Camoufox.app/Contents/Resources/properties.json',
    });
  });
});

describe('checkCamoufoxInstalled', () => {
  it('on an empty folder: an InputError naming the folder and how to fetch the browser, at once, writing nothing', () => {
    const dir = emptyDir();
    const started = performance.now();
    const error = thrownBy(() => checkCamoufoxInstalled({ TALLY_CAMOUFOX_DIR: dir }));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(`Camoufox is not installed at ${dir}`);
    expect(error.message).toContain('npx camoufox-js fetch');
    expect(error.message).toContain('TALLY_CAMOUFOX_DIR');
    expect(elapsed).toBeLessThan(1000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('on a folder that does not exist: says so and does not create it', () => {
    const dir = join(emptyDir(), 'nowhere');
    expect(() => checkCamoufoxInstalled({ CAMOUFOX_INSTALL_DIR: dir })).toThrow(`${dir} does not exist`);
    expect(existsSync(dir)).toBe(false);
  });

  // A stand-in install: this tests our detection of the files, not a real Camoufox.
  it('on an install with the browser, version.json and properties.json: its paths and version', () => {
    const fake = fakeInstall();
    expect(checkCamoufoxInstalled({ TALLY_CAMOUFOX_DIR: fake.dir })).toEqual({
      dir: fake.dir,
      executable: fake.executable,
      version: '135.0.1-beta.24',
    });
  });

  it('names the file that is missing', () => {
    for (const file of ['version.json', 'properties.json']) {
      const fake = fakeInstall();
      unlinkSync(join(fake.dir, file));
      expect(() => checkCamoufoxInstalled({ TALLY_CAMOUFOX_DIR: fake.dir })).toThrow(`${join(fake.dir, file)} is missing`);
    }
  });

  it('refuses a browser that cannot be executed', () => {
    const fake = fakeInstall();
    chmodSync(fake.executable, 0o644);
    expect(() => checkCamoufoxInstalled({ TALLY_CAMOUFOX_DIR: fake.dir })).toThrow(`${fake.executable} is missing or not executable`);
  });

  it('refuses a version.json that camoufox-js could not read', () => {
    const fake = fakeInstall();
    writeFileSync(join(fake.dir, 'version.json'), '{"version": "135.0.1"}');
    expect(() => checkCamoufoxInstalled({ TALLY_CAMOUFOX_DIR: fake.dir })).toThrow(/needs the string fields "version" and "release"/);
    writeFileSync(join(fake.dir, 'version.json'), 'not json');
    expect(() => checkCamoufoxInstalled({ TALLY_CAMOUFOX_DIR: fake.dir })).toThrow(InputError);
  });
});

/**
 * In a child process with fetch, socket connects and DNS refused and recorded (nothing leaves the
 * machine), then 2 s of watching for an unhandled rejection: what camoufox-js leaves behind when
 * it meets a missing browser. The contrast case shows the watch does catch camoufox-js's download.
 */
describe('no network, no stray rejection, on the failing paths', () => {
  const child = promisify(execFile);
  const runGuarded = async (action: string, env: Record<string, string>): Promise<GuardedReport> => {
    const script = join(import.meta.dirname, 'testing', 'network-guarded-child.ts');
    const { TALLY_CAMOUFOX_DIR: _ours, CAMOUFOX_INSTALL_DIR: _theirs, ...parent } = process.env;
    const { stdout } = await child(process.execPath, ['--import', 'tsx', script, action, '2000'], {
      env: { ...parent, ...env },
      timeout: 20_000,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as GuardedReport;
  };

  it('the check, camoufoxLaunchOptions on an empty folder, and on a version camoufox-js rejects; camoufox-js alone for contrast', async () => {
    const empty = emptyDir();
    const tooNew = fakeInstall({ version: '200.0', release: '2.0' });
    const contrast = emptyDir();
    const [check, launchOptions, unsupported, camoufoxJs] = await Promise.all([
      runGuarded('check', { TALLY_CAMOUFOX_DIR: empty }),
      runGuarded('launch-options', { TALLY_CAMOUFOX_DIR: empty }),
      runGuarded('launch-options', { TALLY_CAMOUFOX_DIR: tooNew.dir }),
      runGuarded('camoufox-js-path', { CAMOUFOX_INSTALL_DIR: contrast }),
    ]);
    for (const report of [check, launchOptions]) {
      expect(report).toMatchObject({ outcome: 'threw', errorName: 'InputError', networkAttempts: [], unhandledRejections: [] });
      expect(report.message).toContain(`Camoufox is not installed at ${empty}`);
      expect(report.elapsedMs).toBeLessThan(1000);
    }
    expect(unsupported).toMatchObject({ outcome: 'threw', errorName: 'InputError', networkAttempts: [], unhandledRejections: [] });
    expect(unsupported.message).toContain('camoufox-js does not accept version 200.0-2.0');
    expect(camoufoxJs.networkAttempts).toContain('fetch https://api.github.com/repos/daijro/camoufox/releases');
    expect(readdirSync(empty)).toEqual([]);
  });
});
