/**
 * What the peer sent before anyone read it: the connection holds it (bounded) for its first reader, so a
 * subscription made after an `await` still sees the banner and the login prompt.
 *
 * @internal Not part of the package's public exports.
 */
import { Observable, type OperatorFunction, Subject } from 'rxjs';
import { warning, type TelnetEvent } from '../codec/events.js';

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
 * The connection's readable events: until the first subscriber of any view (`data$`, `events$`), events are
 * held, at most `limit` bytes' worth (the oldest are dropped past it: `dropped` is told once, and the first
 * subscriber gets a `HeldInputDropped` warning before the held events); that subscriber gets them first, in order,
 * then the live events. After that every view is hot: a later subscriber sees what
 * arrives from then on.
 *
 * @internal
 */
export class HeldInput {
  private held: TelnetEvent[] | undefined = [];
  private heldCost = 0;
  private droppedEvents = 0;
  private droppedBytes = 0;
  private readonly live = new Subject<TelnetEvent>();

  constructor(
    private readonly limit: number,
    private readonly dropped: (detail: string) => void,
  ) {
    if (limit === 0) this.held = undefined;
  }

  next(event: TelnetEvent): void {
    const held = this.held;
    if (held === undefined) {
      this.live.next(event);
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
    this.live.complete();
  }

  /** A view of the events through `select`; the first subscriber of any view takes what is held. */
  view<T>(select: OperatorFunction<TelnetEvent, T>): Observable<T> {
    const events = new Observable<TelnetEvent>((subscriber) => {
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
      return this.live.subscribe(subscriber);
    });
    return events.pipe(select);
  }
}
