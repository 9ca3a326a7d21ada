import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The config properties a Camoufox build declares in properties.json (name: type), as far as
 * camoufox-js 0.12 fills them: it rejects a config holding a property its browser does not declare.
 */
const CAMOUFOX_PROPERTIES: Record<string, 'str' | 'int' | 'uint' | 'double' | 'bool' | 'array' | 'dict'> = {
  'navigator.userAgent': 'str',
  'navigator.doNotTrack': 'str',
  'navigator.appCodeName': 'str',
  'navigator.appName': 'str',
  'navigator.appVersion': 'str',
  'navigator.oscpu': 'str',
  'navigator.language': 'str',
  'navigator.languages': 'array',
  'navigator.platform': 'str',
  'navigator.hardwareConcurrency': 'uint',
  'navigator.product': 'str',
  'navigator.productSub': 'str',
  'navigator.maxTouchPoints': 'uint',
  'navigator.cookieEnabled': 'bool',
  'navigator.globalPrivacyControl': 'bool',
  'screen.availHeight': 'uint',
  'screen.availWidth': 'uint',
  'screen.availTop': 'uint',
  'screen.availLeft': 'uint',
  'screen.height': 'uint',
  'screen.width': 'uint',
  'screen.colorDepth': 'uint',
  'screen.pixelDepth': 'uint',
  'screen.pageXOffset': 'double',
  'screen.pageYOffset': 'double',
  'window.outerHeight': 'uint',
  'window.outerWidth': 'uint',
  'window.innerHeight': 'uint',
  'window.innerWidth': 'uint',
  'window.screenX': 'int',
  'window.screenY': 'int',
  'window.history.length': 'uint',
  'window.devicePixelRatio': 'double',
  'headers.User-Agent': 'str',
  'headers.Accept-Language': 'str',
  'headers.Accept-Encoding': 'str',
  'webrtc:ipv4': 'str',
  'webrtc:ipv6': 'str',
  pdfViewerEnabled: 'bool',
  'battery:charging': 'bool',
  'battery:chargingTime': 'double',
  'battery:dischargingTime': 'double',
  'battery:level': 'double',
  fonts: 'array',
  'fonts:spacing_seed': 'uint',
  timezone: 'str',
  'locale:language': 'str',
  'locale:region': 'str',
  'locale:script': 'str',
  'locale:all': 'str',
  humanize: 'bool',
  'humanize:maxTime': 'double',
  'humanize:minTime': 'double',
  'webGl:renderer': 'str',
  'webGl:vendor': 'str',
  'webGl:supportedExtensions': 'array',
  'webGl2:supportedExtensions': 'array',
  'webGl:parameters': 'dict',
  'webGl2:parameters': 'dict',
  'webGl:shaderPrecisionFormats': 'dict',
  'webGl2:shaderPrecisionFormats': 'dict',
  'webGl:contextAttributes': 'dict',
  'webGl2:contextAttributes': 'dict',
  'canvas:aaOffset': 'int',
  'canvas:aaCapOffset': 'bool',
  allowMainWorld: 'bool',
  addons: 'array',
  debug: 'bool',
};

export interface FakeInstall {
  dir: string;
  executable: string;
}

/**
 * A Linux install folder with the files camoufox-js reads, and a shell script where the browser
 * would be. It stands in for the real download (GitHub releases are out of reach here): it tests
 * our detection and camoufox-js's option building, never a launch.
 */
export function makeFakeCamoufoxInstall(version = { version: '135.0.1', release: 'beta.24' }): FakeInstall {
  const dir = mkdtempSync(join(tmpdir(), 'tally-camoufox-'));
  const executable = join(dir, 'camoufox-bin');
  writeFileSync(executable, '#!/bin/sh\necho "not a browser" >&2\nexit 1\n');
  chmodSync(executable, 0o755);
  writeFileSync(join(dir, 'version.json'), JSON.stringify(version));
  writeFileSync(
    join(dir, 'properties.json'),
    JSON.stringify(Object.entries(CAMOUFOX_PROPERTIES).map(([property, type]) => ({ property, type }))),
  );
  return { dir, executable };
}
