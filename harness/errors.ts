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
