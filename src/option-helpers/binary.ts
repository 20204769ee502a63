/**
 * TRANSMIT-BINARY (RFC 856): in a direction where BINARY is in effect, bytes are 8-bit data with no NVT rules.
 *
 * The connection follows it by itself: when BINARY is in effect on our side, `write` stops translating newlines
 * (`\n` is sent as is, not as CR LF, and a CR is not followed by NUL); when it is in effect on the peer's side, the
 * decoder stops turning CR LF and CR NUL back into LF and CR. IAC is doubled in both modes. Each direction is
 * negotiated separately: `will(TelnetOption.BINARY)` for what we send, `do(TelnetOption.BINARY)` for what we receive.
 */
import { combineLatest, map, type Observable } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { holdOption } from './option-streams.js';

/**
 * An 8-bit clean connection in both directions for as long as it is subscribed (a file transfer, raw terminal
 * output): asks for BINARY both ways (`WILL BINARY`, `DO BINARY`) and emits once both are agreed; on unsubscribe
 * turns off the directions that were not on before. Errors with `OptionRefusedError` when the peer refuses one
 * direction; completes when the connection closes.
 *
 * @example
 * ```ts
 * import { binaryTransmission, createConnection } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * declare const file: Uint8Array;
 * const connection = createConnection(transport);
 * const transfer = binaryTransmission(connection).subscribe(() => connection.write(file));
 * // once the transfer is over:
 * transfer.unsubscribe();
 * ```
 */
export const binaryTransmission = (connection: TelnetConnection): Observable<void> =>
  combineLatest([
    holdOption(connection, 'local', TelnetOption.BINARY),
    holdOption(connection, 'remote', TelnetOption.BINARY),
  ]).pipe(map(() => undefined));
