/** Errors the story's pools throw; shared so both variants fail a job the same way. */
export class PoolFullError extends Error {
  constructor(max: number) {
    super(`browser limit reached (${max})`);
    this.name = 'PoolFullError';
  }
}

export class WatchdogTimeout extends Error {
  constructor(
    readonly session: string,
    readonly afterMs: number,
  ) {
    super(`watchdog timeout after ${afterMs} ms (${session})`);
    this.name = 'WatchdogTimeout';
  }
}

export class PoolClosedError extends Error {
  constructor() {
    super('the pool is closed');
    this.name = 'PoolClosedError';
  }
}
