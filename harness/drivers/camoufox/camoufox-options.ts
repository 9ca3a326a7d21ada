import type { launchOptions } from 'camoufox-js';
import { InputError } from '../../errors.ts';

/** What camoufox-js's `launchOptions` takes. */
export type CamoufoxJsOptions = Parameters<typeof launchOptions>[0];

export const CAMOUFOX_OSES = ['linux', 'macos', 'windows'] as const;
export type CamoufoxOs = (typeof CAMOUFOX_OSES)[number];

/** How a run wants its Camoufox browsers; each field left out keeps camoufox-js's default. */
export interface CamoufoxOptions {
  headless: boolean;
  /** The OS the fingerprint claims; a list picks one at random per launch. camoufox-js: all three. */
  os?: CamoufoxOs | CamoufoxOs[];
  /** Locale(s), e.g. `en-US` or `['de-DE', 'en-US']`; the first drives the Intl API. */
  locale?: string | string[];
  /** Human-like cursor moves; a number caps one move, in seconds. */
  humanize?: boolean | number;
  blockImages?: boolean;
  blockWebrtc?: boolean;
  /**
   * Left out: a WebGL fingerprint is spoofed when camoufox-js's WebGL database can be read in this
   * Node, WebGL is blocked otherwise. `false` insists on spoofing (an error when it cannot).
   */
  blockWebgl?: boolean;
  /** A fixed outer window size, [width, height], instead of a generated one. */
  window?: [number, number];
  /** Keep previous pages and requests in memory (costs memory per browser). */
  enableCache?: boolean;
}

/** The facts about this machine the mapping depends on, found by the launcher. */
export interface CamoufoxHost {
  /** uBlock Origin is already in the install's addons folder; camoufox-js downloads it otherwise. */
  defaultAddonInstalled: boolean;
  /** camoufox-js's WebGL database can be read here (see webgl-database.ts); why not, if not. */
  webglDatabase: { usable: boolean; reason?: string };
  /** What to suggest when the database is needed and cannot be read. */
  webglDatabaseFix: string;
}

/**
 * Our options as camoufox-js's `launchOptions` input. Pure. Never asks for anything that needs
 * the network: no default add-on download, no GeoIP lookup, no public-IP probe.
 */
export function toCamoufoxJsOptions(options: CamoufoxOptions, host: CamoufoxHost): CamoufoxJsOptions {
  validate(options);
  if (options.blockWebgl === false && !host.webglDatabase.usable) {
    throw new InputError(
      `camoufox blockWebgl: false needs camoufox-js's WebGL database, which cannot be read here: ${host.webglDatabase.reason ?? 'unknown reason'}. Leave blockWebgl out to block WebGL instead, or ${host.webglDatabaseFix}`,
    );
  }
  const mapped: CamoufoxJsOptions = {
    headless: options.headless,
    block_webgl: options.blockWebgl ?? !host.webglDatabase.usable,
    // A missing uBlock Origin would be fetched from addons.mozilla.org at every launch.
    exclude_addons: host.defaultAddonInstalled ? [] : ['UBO'],
    // Its leak warnings are about stealth, which a pool diagnosis does not need; they would
    // only interleave with the run's status line.
    i_know_what_im_doing: true,
  };
  if (options.os !== undefined) mapped.os = Array.isArray(options.os) ? [...options.os] : options.os;
  if (options.locale !== undefined) mapped.locale = Array.isArray(options.locale) ? [...options.locale] : options.locale;
  if (options.humanize !== undefined) mapped.humanize = options.humanize;
  if (options.blockImages !== undefined) mapped.block_images = options.blockImages;
  if (options.blockWebrtc !== undefined) mapped.block_webrtc = options.blockWebrtc;
  if (options.window !== undefined) mapped.window = [options.window[0], options.window[1]];
  if (options.enableCache !== undefined) mapped.enable_cache = options.enableCache;
  return mapped;
}

function validate(options: CamoufoxOptions): void {
  const oses = options.os === undefined ? [] : Array.isArray(options.os) ? options.os : [options.os];
  if (Array.isArray(options.os) && oses.length === 0)
    throw new InputError('camoufox os: an empty list; give one of linux, macos, windows, or leave it out');
  for (const os of oses) {
    if (!(CAMOUFOX_OSES as readonly string[]).includes(os))
      throw new InputError(`camoufox os: '${os}' is not one of ${CAMOUFOX_OSES.join(', ')}`);
  }
  if (Array.isArray(options.locale) && options.locale.length === 0)
    throw new InputError('camoufox locale: an empty list; give a locale such as en-US, or leave it out');
  if (typeof options.humanize === 'number' && !(options.humanize > 0))
    throw new InputError(`camoufox humanize: ${options.humanize} seconds; expected a positive number, or true`);
  if (options.window !== undefined) {
    const [width, height] = options.window;
    if (options.window.length !== 2 || !isPositiveInteger(width) || !isPositiveInteger(height)) {
      throw new InputError(`camoufox window: ${JSON.stringify(options.window)}; expected [width, height] in whole pixels`);
    }
  }
}

function isPositiveInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) > 0;
}
