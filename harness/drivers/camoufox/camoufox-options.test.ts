import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors.ts';
import { type CamoufoxHost, toCamoufoxJsOptions } from './camoufox-options.ts';

const host = (over: Partial<CamoufoxHost> = {}): CamoufoxHost => ({
  defaultAddonInstalled: false,
  webglDatabase: { usable: true },
  webglDatabaseFix: 'rebuild it',
  ...over,
});

describe('toCamoufoxJsOptions', () => {
  it('maps only headless when nothing else is asked, and never asks for a download', () => {
    expect(toCamoufoxJsOptions({ headless: true }, host())).toEqual({
      headless: true,
      block_webgl: false,
      exclude_addons: ['UBO'],
      i_know_what_im_doing: true,
    });
  });

  it('maps every option to its camoufox-js name', () => {
    const mapped = toCamoufoxJsOptions(
      {
        headless: false,
        os: ['linux', 'windows'],
        locale: ['de-DE', 'en-US'],
        humanize: 1.5,
        blockImages: true,
        blockWebrtc: true,
        blockWebgl: true,
        window: [1280, 800],
        enableCache: true,
      },
      host(),
    );
    expect(mapped).toEqual({
      headless: false,
      os: ['linux', 'windows'],
      locale: ['de-DE', 'en-US'],
      humanize: 1.5,
      block_images: true,
      block_webrtc: true,
      block_webgl: true,
      window: [1280, 800],
      enable_cache: true,
      exclude_addons: ['UBO'],
      i_know_what_im_doing: true,
    });
  });

  it('hands over copies: camoufox-js may change what it is given', () => {
    const options = { headless: true, os: ['linux' as const], window: [800, 600] as [number, number] };
    const mapped = toCamoufoxJsOptions(options, host());
    expect(mapped.os).not.toBe(options.os);
    expect(mapped.window).not.toBe(options.window);
  });

  it('never passes what would reach the network (GeoIP, proxy, add-on list)', () => {
    const mapped = toCamoufoxJsOptions({ headless: true, os: 'macos', locale: 'en-US' }, host());
    for (const key of ['geoip', 'proxy', 'addons']) expect(mapped).not.toHaveProperty(key);
  });

  it('keeps uBlock Origin when the install already has it', () => {
    expect(toCamoufoxJsOptions({ headless: true }, host({ defaultAddonInstalled: true })).exclude_addons).toEqual([]);
  });

  it('blocks WebGL when its database cannot be read, unless told otherwise', () => {
    const unusable = host({ webglDatabase: { usable: false, reason: 'better-sqlite3 was killed by SIGSEGV' } });
    expect(toCamoufoxJsOptions({ headless: true }, unusable).block_webgl).toBe(true);
    expect(toCamoufoxJsOptions({ headless: true, blockWebgl: true }, unusable).block_webgl).toBe(true);
    expect(() => toCamoufoxJsOptions({ headless: true, blockWebgl: false }, unusable)).toThrow(InputError);
    expect(() => toCamoufoxJsOptions({ headless: true, blockWebgl: false }, unusable)).toThrow(/killed by SIGSEGV.*rebuild it/);
  });

  it('rejects options camoufox-js would choke on, naming the field', () => {
    const bad: [object, RegExp][] = [
      [{ os: 'android' }, /camoufox os: 'android'/],
      [{ os: [] }, /camoufox os: an empty list/],
      [{ locale: [] }, /camoufox locale: an empty list/],
      [{ humanize: 0 }, /camoufox humanize: 0 seconds/],
      [{ humanize: -1 }, /camoufox humanize/],
      [{ window: [800] }, /camoufox window: \[800\]/],
      [{ window: [800.5, 600] }, /camoufox window/],
      [{ window: [0, 600] }, /camoufox window/],
    ];
    for (const [options, message] of bad) {
      expect(() => toCamoufoxJsOptions({ headless: true, ...options } as never, host())).toThrow(message);
      expect(() => toCamoufoxJsOptions({ headless: true, ...options } as never, host())).toThrow(InputError);
    }
  });
});
