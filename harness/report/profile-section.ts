import type { ProfileOutcome } from './report-json.ts';

/** The profile's section of report.md: a link to clinic's page, or why there is none. */
export function profileMarkdown(profile: ProfileOutcome): string {
  const body = profile.html
    ? `clinic ${profile.tool} profiled the service under load: [${profile.html}](${encodeURI(profile.html)})`
    : `No profile: ${profile.missing}`;
  return ['## Profile', '', body, ''].join('\n');
}
