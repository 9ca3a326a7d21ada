import { SEMCONV } from '../attributes.ts';
import type { RecordAttributes } from './span-record.ts';

const CALL_SITE = /^(.+):(\d+):(\d+)(?: \((.+)\))?$/;

/**
 * `harness/pool/legacy/legacy-pool.ts:133:16 (LegacyBrowserService.#safeCloseSession)`, the history's
 * `at`, as the semantic conventions' `code.*` attributes, added to `attributes`.
 */
export function withCallSite(attributes: RecordAttributes, at: string | undefined): RecordAttributes {
  if (at === undefined) return attributes;
  const match = CALL_SITE.exec(at);
  if (!match) return { ...attributes, [SEMCONV.codeFilePath]: at };
  // The column adds nothing a reader needs once file, line and function are there.
  const [, file, line, , fn] = match;
  return {
    ...attributes,
    [SEMCONV.codeFilePath]: file!,
    [SEMCONV.codeLineNumber]: Number(line),
    ...(fn === undefined ? {} : { [SEMCONV.codeFunctionName]: fn }),
  };
}
