/**
 * `--trace` for a client connection: every negotiation, command and subnegotiation, in both directions, in the
 * order a reader expects (a request before its answer).
 *
 * Incoming events come from the connection's `events$`. Outgoing events are decoded from what the connection
 * hands to its transport: the connection is built over a wrapped {@link Transport} whose `write` feeds a second
 * decoder. While our output is compressed (MCCP2 when we are the server, MCCP3 as a client) the bytes reaching the
 * transport are zlib data, so the wrapped {@link Compression} traces what goes *into* the deflater instead; the
 * compressed bytes it writes to the transport are not decoded.
 *
 * The connection answers a negotiation before it publishes it on `events$`, so answers produced while an
 * incoming chunk is being decoded are held back and printed after the event that caused them.
 *
 * @module
 */
import { Observable, type Subscription } from 'rxjs';
import { createDecoder, decodeChunk } from '../index.js';
import type { Compression, Deflater, TelnetConnection, TelnetEvent, Transport } from '../index.js';
import { describeCompression, describeEvent, traceLine } from './trace.js';

/** A transport and a compression pair that trace what passes through them, and the incoming side's tap. */
export interface TracedLink {
  /** The transport to build the connection over. */
  readonly transport: Transport;
  /** The compression engines to give the connection. */
  readonly compression: Compression;
  /**
   * Traces the incoming events of the connection built over {@link TracedLink.transport}. Call it in the tick the
   * connection was created, after subscribing everything that answers incoming events, so that their answers
   * are traced after the events.
   */
  readonly watch: (connection: TelnetConnection) => Subscription;
}

/**
 * Wraps `transport` and `compression` so that the connection built over them is traced to `print`, one line
 * per event (`<<` received, `>>` sent). Application data is not traced.
 *
 * @example
 * ```text
 * const link = traceLink(transport, nodeCompression, (line) => process.stderr.write(`${line}\n`));
 * const connection = createConnection(link.transport, { compression: link.compression });
 * link.watch(connection);
 * ```
 */
export const traceLink = (
  transport: Transport,
  compression: Compression,
  print: (line: string) => void,
): TracedLink => {
  const outgoing = createDecoder();
  const held: string[] = [];
  let receiving = 0;
  let deflating = false;

  const flush = (): void => {
    for (const line of held.splice(0)) print(line);
  };
  const printOutgoing = (line: string): void => {
    if (receiving > 0) held.push(line);
    else print(line);
  };
  const onOutgoing = (event: TelnetEvent): void => {
    if (event._tag !== 'Data') printOutgoing(traceLine('>>', describeEvent(event)));
  };
  /** Runs `receive` (the connection decoding input) with outgoing lines held until it returns. */
  const whileReceiving = (receive: () => void): void => {
    receiving++;
    try {
      receive();
    } finally {
      receiving--;
      if (receiving === 0) flush();
    }
  };

  const tracedTransport: Transport = {
    ...transport,
    input: new Observable<Uint8Array>((subscriber) =>
      transport.input.subscribe({
        next: (chunk) => {
          whileReceiving(() => {
            subscriber.next(chunk);
          });
        },
        error: (error: unknown) => {
          subscriber.error(error);
        },
        complete: () => {
          subscriber.complete();
        },
      }),
    ),
    write: (bytes) => {
      if (!deflating) decodeChunk(outgoing, bytes, onOutgoing);
      return transport.write(bytes);
    },
  };

  const tracedCompression: Compression = {
    inflater: (sink, options) =>
      compression.inflater(
        {
          data: (bytes) => {
            whileReceiving(() => {
              sink.data(bytes);
            });
          },
          end: (rest) => {
            whileReceiving(() => {
              sink.end(rest);
            });
          },
          error: (error) => {
            sink.error(error);
          },
        },
        options,
      ),
    deflater: (sink) => {
      deflating = true;
      const engine: Deflater = compression.deflater({
        data: (bytes) => {
          sink.data(bytes);
        },
        end: () => {
          deflating = false;
          sink.end();
        },
        error: (error) => {
          deflating = false;
          sink.error(error);
        },
      });
      return {
        write: (chunk) => {
          decodeChunk(outgoing, chunk, onOutgoing);
          engine.write(chunk);
        },
        end: () => {
          engine.end();
        },
        destroy: () => {
          deflating = false;
          engine.destroy();
        },
      };
    },
  };

  const watch = (connection: TelnetConnection): Subscription => {
    const events = connection.events$.subscribe((event) => {
      if (event._tag === 'Data') return;
      print(traceLine('<<', describeEvent(event)));
      flush();
    });
    events.add(
      connection.compression$.subscribe((event) => {
        const line = describeCompression(event);
        if (event.direction === 'input') print(traceLine('<<', line));
        else printOutgoing(traceLine('>>', line));
      }),
    );
    return events;
  };

  return { transport: tracedTransport, compression: tracedCompression, watch };
};
