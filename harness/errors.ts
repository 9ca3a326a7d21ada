/**
 * Bad input: a malformed scenario, an unknown pool module, a pool that does not meet the contract,
 * a wrong command line. The CLI prints the message (which names the file and the field) and exits 2.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** The message of whatever was thrown, for a one-line note in the history or the report. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
