import {
  type AnyEvent,
  type CountedLevel,
  type EventData,
  type EventKind,
  type HistoryEvent,
  isPageTrafficEvent,
  type LockEntry,
  type PoolSnapshot,
} from './events.ts';

export interface EmitOptions {
  /** The session the event belongs to. */
  session?: string | undefined;
  /** The browser the event concerns: its session is looked up when `session` is not given. */
  browser?: string | undefined;
  /** Call site, from `captureCallSite()`. */
  at?: string | undefined;
}

export type Listener = (event: AnyEvent) => void;

/**
 * What a listener needs of the events. `pageTraffic: false` passes page traffic over (`goto` and
 * `evaluate` calls and returns, three quarters of a run's events): the recorder tells traffic
 * apart once for every listener, and need not call one that would only return. Read at each such
 * event, so a listener may start wanting it mid-run.
 */
export interface ListenerWants {
  readonly pageTraffic: boolean;
}

interface Subscription {
  listener: Listener;
  wants: ListenerWants | undefined;
}

/**
 * Stamps every event with a sequence number, virtual and wall time and its session, and hands it
 * to the listeners (history file, online checkers, progress) in order, synchronously.
 */
export class Recorder {
  #seq = 0;
  #subscriptions: Subscription[] = [];
  #sessionOfBrowser = new Map<string, string>();
  #dirty = true;
  #truthMoved = true;
  #poolClosed = false;
  #last: { counter?: number; counts: CountedLevel; sessions?: readonly string[] | undefined; locks?: readonly LockEntry[] | undefined } = {
    counts: 'browsers',
  };
  readonly #wallStart = performance.now();

  constructor(private readonly now: () => number) {}

  get eventCount(): number {
    return this.#seq;
  }

  /** `pool.closed` was recorded: every driver call from here on is a finding, worth its call site. */
  get poolClosed(): boolean {
    return this.#poolClosed;
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: Listener, wants?: ListenerWants): () => void {
    const subscription: Subscription = { listener, wants };
    this.#subscriptions.push(subscription);
    return () => {
      this.#subscriptions = this.#subscriptions.filter((other) => other !== subscription);
    };
  }

  emit<K extends EventKind>(kind: K, data: EventData[K], options: EmitOptions = {}): HistoryEvent<K> {
    const session = options.session ?? (options.browser === undefined ? undefined : this.#sessionOfBrowser.get(options.browser));
    // One object shape for every event (absent fields are undefined, which JSON omits), so every
    // consumer's property reads stay monomorphic: this is the hottest object in a run.
    const event: HistoryEvent<K> = {
      seq: this.#seq++,
      t: this.now(),
      wall: Math.round((performance.now() - this.#wallStart) * 1000) / 1000,
      kind,
      session,
      data,
      at: options.at,
    };
    if (kind === 'job.work') this.#sessionOfBrowser.set((data as EventData['job.work']).browser, session!);
    else if (kind === 'pool.closed') this.#poolClosed = true;
    this.#dirty = true;
    const traffic = isPageTrafficEvent(event as AnyEvent);
    if (!traffic && movesTruth(kind)) this.#truthMoved = true;
    for (const { listener, wants } of this.#subscriptions)
      if (!traffic || wants === undefined || wants.pageTraffic) listener(event as AnyEvent);
    return event;
  }

  /**
   * Called at a settled point (nothing left to run but timers and stalled I/O) with the pool's
   * snapshot, read if anything happened since the last one (`needsSnapshot`). Records a `settle`
   * event with the parts that changed, when something did or when the ground truth moved (a
   * browser launched, opened, closed or died): after mere page traffic there is nothing new to
   * compare, and such settles would be a third of the history.
   */
  get needsSnapshot(): boolean {
    return this.#dirty;
  }

  settle(snapshot: PoolSnapshot): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    const data: EventData['settle'] = {};
    const last = this.#last;
    if (snapshot.counter !== last.counter) data.counter = snapshot.counter;
    const counts = snapshot.counts ?? 'browsers';
    if (counts !== last.counts) data.counts = counts;
    if (!sameList(snapshot.sessions, last.sessions, (a, b) => a === b)) data.sessions = [...snapshot.sessions];
    if (!sameList(snapshot.locks, last.locks, (a, b) => a.session === b.session && a.holders === b.holders)) {
      data.locks = snapshot.locks.map(({ session, holders }) => ({ session, holders }));
    }
    this.#last = { counter: snapshot.counter, counts, sessions: data.sessions ?? last.sessions, locks: data.locks ?? last.locks };
    const changed = data.counter !== undefined || data.counts !== undefined || data.sessions !== undefined || data.locks !== undefined;
    if (!changed && !this.#truthMoved) return;
    this.emit('settle', data);
    this.#dirty = false;
    this.#truthMoved = false;
  }
}

/** Events other than page traffic after which the ground truth the pool is checked against may differ. */
function movesTruth(kind: EventKind): boolean {
  return kind === 'browser.up' || kind === 'browser.down' || kind === 'run.start' || kind === 'driver.call' || kind === 'driver.return';
}

function sameList<T>(a: readonly T[], b: readonly T[] | undefined, same: (x: T, y: T) => boolean): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}
