import { readdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../errors.ts';
import { camoufoxLauncher, camoufoxLaunchOptions } from './camoufox-launcher.ts';
import { type FakeInstall, makeFakeCamoufoxInstall } from './testing/fake-camoufox-install.ts';
import { probeWebglDatabase } from './webgl-database.ts';

/** The fingerprint camoufox-js put in the env, from its CAMOU_CONFIG_<n> chunks. */
function camouConfig(env: Record<string, string | undefined>): Record<string, unknown> {
  const chunks = Object.keys(env)
    .filter((key) => key.startsWith('CAMOU_CONFIG_'))
    .sort((a, b) => Number(a.split('_').pop()) - Number(b.split('_').pop()));
  return JSON.parse(chunks.map((key) => env[key]).join('')) as Record<string, unknown>;
}

/**
 * camoufox-js's real `launchOptions` over a stand-in install (GitHub releases, where the browser
 * comes from, are out of reach here): the options are built for real, the browser is a shell
 * script, so nothing here launches Camoufox. camoufox-js fixes its install folder once per
 * process, so every case below uses the same one.
 */
describe('camoufoxLaunchOptions, through camoufox-js, on a stand-in install', () => {
  const saved = { ...process.env };
  let fake: FakeInstall;
  const fetchSpy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in this test'));

  beforeAll(() => {
    fake = makeFakeCamoufoxInstall();
    process.env.TALLY_CAMOUFOX_DIR = fake.dir;
    // Left over from a parent process, it would override the fingerprint camoufox-js generates.
    process.env.CAMOU_CONFIG_1 = '{"stale": true}';
    process.env.TALLY_MARK = 'parent';
  });
  afterAll(() => {
    fetchSpy.mockRestore();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    rmSync(fake.dir, { recursive: true, force: true });
  });

  it('builds the options: our install, a fingerprint in CAMOU_CONFIG_*, our env on top, no download', async () => {
    const options = await camoufoxLaunchOptions(
      { headless: true, os: 'linux', locale: 'en-US', humanize: 1.5, blockImages: true },
      { TALLY_MARK: 'run-7' },
    );
    const env = options.env as Record<string, string>;
    expect(options.executablePath).toBe(fake.executable);
    expect(options.headless).toBe(true);
    expect(env.TALLY_MARK).toBe('run-7');
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.FONTCONFIG_PATH).toBe(`${fake.dir}/fontconfig/lin`);
    const config = camouConfig(env);
    expect(config).not.toHaveProperty('stale');
    expect(config['navigator.userAgent']).toMatch(/Linux/);
    expect(config).toMatchObject({ 'locale:language': 'en', 'locale:region': 'US', humanize: true, 'humanize:maxTime': 1.5 });
    expect(options.firefoxUserPrefs).toMatchObject({ 'permissions.default.image': 2 });
    if ((await probeWebglDatabase()).usable) expect(config).toHaveProperty('webGl:vendor');
    else expect(options.firefoxUserPrefs).toMatchObject({ 'webgl.disabled': true });
    expect(fetchSpy).not.toHaveBeenCalled();
    // No add-on folder: uBlock Origin was not fetched.
    expect(readdirSync(fake.dir).sort()).toEqual(['camoufox-bin', 'properties.json', 'version.json']);
  });

  it("turns camoufox-js's complaint about an option into an InputError", async () => {
    await expect(camoufoxLaunchOptions({ headless: true, locale: 'xx-QQ' }, {})).rejects.toThrow(InputError);
  });

  it('refuses a second install folder in the same process', async () => {
    const other = makeFakeCamoufoxInstall();
    process.env.TALLY_CAMOUFOX_DIR = other.dir;
    try {
      await expect(camoufoxLaunchOptions({ headless: true }, {})).rejects.toThrow(
        `camoufox-js is already loaded with the install folder ${fake.dir}`,
      );
    } finally {
      process.env.TALLY_CAMOUFOX_DIR = fake.dir;
      rmSync(other.dir, { recursive: true, force: true });
    }
  });

  it('camoufoxLauncher: Playwright starts the stand-in as its Firefox (Juggler); its failure reaches the caller', async () => {
    const launch = camoufoxLauncher({ headless: true, blockWebgl: true });
    await expect(launch({ TALLY_MARK: 'run-8' })).rejects.toThrow(
      /Failed to launch the browser process[\s\S]*camoufox-bin[\s\S]*-juggler-pipe[\s\S]*not a browser/,
    );
  });
});

describe('camoufoxLauncher without an install', () => {
  it('throws the InputError before anything starts', () => {
    const saved = process.env.TALLY_CAMOUFOX_DIR;
    process.env.TALLY_CAMOUFOX_DIR = '/nonexistent/camoufox';
    try {
      expect(() => camoufoxLauncher({ headless: true })).toThrow(InputError);
      expect(() => camoufoxLauncher({ headless: true })).toThrow('Camoufox is not installed at /nonexistent/camoufox');
    } finally {
      if (saved === undefined) delete process.env.TALLY_CAMOUFOX_DIR;
      else process.env.TALLY_CAMOUFOX_DIR = saved;
    }
  });
});
