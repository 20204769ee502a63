/**
 * What the peer sent before anyone read it: the connection holds it (bounded) for its first reader, so a
 * subscription made after an `await` still sees the banner and the login prompt.
 *
 * @internal Not part of the package's public exports.
 */
import { Observable, type Subscriber } from 'rxjs';
import { data, warning, type TelnetEvent } from '../codec/events.js';
import { dataBytes } from '../operators/dataBytes.js';
import { NO_SINKS, withoutSink, withSink } from './sinks.js';

/** The bytes an event holds on to (its data or payload), plus one for the event itself. */
const costOf = (event: TelnetEvent): number => {
  switch (event._tag) {
    case 'Data':
      return event.bytes.length + 1;
    case 'Subnegotiation':
      return event.payload.length + 1;
    default:
      return 1;
  }
};

/**
 * The connection's readable streams, `data$` and `events$`: until the first subscriber of either, events are
 * held, at most `limit` bytes' worth (the oldest are dropped past it: `dropped` is told once, and the first
 * subscriber gets a `HeldInputDropped` warning before the held events); that subscriber gets them first, in order,
 * then the live events. After that both are hot: a later subscriber sees what arrives from then on. The
 * subscribers of both get each event in the order they subscribed.
 *
 * @internal
 */
export class HeldInput {
  private dataStream: Observable<Uint8Array> | undefined;
  private eventStream: Observable<TelnetEvent> | undefined;
  private held: TelnetEvent[] | undefined = [];
  private heldCost = 0;
  private droppedEvents = 0;
  private droppedBytes = 0;
  /** The subscribers of both views, in the order they came (a Subject's worth, without one). */
  private live: readonly Subscriber<TelnetEvent>[] = NO_SINKS;
  private completed = false;
  /** How many subscribers `events$` has now. */
  private eventReaders = 0;

  constructor(
    private readonly limit: number,
    private readonly dropped: (detail: string) => void,
  ) {
    if (limit === 0) this.held = undefined;
  }

  /** Application data only; made on first use. */
  get data$(): Observable<Uint8Array> {
    return (this.dataStream ??= this.view(false).pipe(dataBytes()));
  }

  /** Every event; made on first use. */
  get events$(): Observable<TelnetEvent> {
    return (this.eventStream ??= this.view(true));
  }

  /** Whether an event other than data goes anywhere now: held, or to a subscriber of `events$`. */
  get wantsEvents(): boolean {
    return this.held !== undefined || this.eventReaders > 0;
  }

  /** Application data, in wire order: an event is made for it only when it is held or read. */
  data(bytes: Uint8Array): void {
    if (this.held !== undefined || this.live.length > 0) this.next(data(bytes));
  }

  next(event: TelnetEvent): void {
    const held = this.held;
    if (held === undefined) {
      for (const subscriber of this.live) subscriber.next(event);
      return;
    }
    held.push(event);
    this.heldCost += costOf(event);
    let events = 0;
    let bytes = 0;
    while (this.heldCost > this.limit && held.length > 0) {
      const oldest = held.shift();
      if (oldest === undefined) break;
      const cost = costOf(oldest);
      this.heldCost -= cost;
      events++;
      bytes += cost - 1;
    }
    if (events === 0) return;
    if (this.droppedEvents === 0) this.dropped(this.describeDropped(events, bytes));
    this.droppedEvents += events;
    this.droppedBytes += bytes;
  }

  private describeDropped(events: number, bytes: number): string {
    return `${events} events (${bytes} bytes) arrived before anyone read the connection and were dropped (maxHeldInput ${this.limit})`;
  }

  complete(): void {
    this.completed = true;
    const live = this.live;
    this.live = NO_SINKS;
    for (const subscriber of live) subscriber.complete();
  }

  /**
   * The live events; the first subscriber of any view takes what is held first. The subscribers of `events$`
   * (`counted`) are counted while subscribed, for {@link HeldInput.wantsEvents}.
   */
  private view(counted: boolean): Observable<TelnetEvent> {
    return new Observable<TelnetEvent>((subscriber) => {
      if (counted) this.eventReaders++;
      const held = this.held;
      if (held !== undefined && this.droppedEvents > 0) {
        subscriber.next(warning('HeldInputDropped', this.describeDropped(this.droppedEvents, this.droppedBytes)));
      }
      // Events that arrive while the held ones are delivered join the queue, so the order is kept.
      for (let event = held?.shift(); event !== undefined && !subscriber.closed; event = held?.shift()) {
        subscriber.next(event);
      }
      this.held = undefined;
      this.heldCost = 0;
      if (this.completed || subscriber.closed) {
        if (counted) this.eventReaders--;
        subscriber.complete();
        return undefined;
      }
      this.live = withSink(this.live, subscriber);
      return () => {
        if (counted) this.eventReaders--;
        this.live = withoutSink(this.live, subscriber);
      };
    });
  }
}
