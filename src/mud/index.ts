/**
 * rxtelnet/mud: the MUD protocols layered on Telnet. GMCP, MSDP and MSSP payload codecs (pure, returning
 * `Either`) with their helpers on a connection, MTTS and MNES on top of TERMINAL-TYPE and NEW-ENVIRON, and the
 * ready-made MUD client and server presets. Portable like the root export: no `node:` modules.
 *
 * @packageDocumentation
 */

// GMCP: JSON messages by package name, optionally typed by io-ts codecs.
export {
  CharVitals,
  CoreHello,
  CoreSupportsList,
  DEFAULT_GMCP_LIMITS,
  decodeGmcp,
  decodeGmcpMessage,
  encodeGmcp,
  encodeGmcpMessage,
  GmcpPackageString,
  NumberOrNumericString,
  standardGmcpCodecs,
} from '../options/gmcp.js';
export type {
  GmcpCodecs,
  GmcpDecodeOptions,
  GmcpLimits,
  GmcpMessage,
  GmcpPackage,
  TypedGmcpMessage,
  UnknownGmcpPackages,
  UntypedGmcpMessage,
} from '../options/gmcp.js';
export { gmcpMessages, sendGmcp, sendGmcpMessage } from '../option-helpers/gmcp.js';

// MSDP: variables, arrays and tables, and the commands that ask for them.
export {
  decodeMsdp,
  encodeMsdp,
  MAX_MSDP_DEPTH,
  MsdpCommand,
  MsdpList,
  msdpListCommand,
  msdpRecord,
  msdpReportCommand,
  msdpResetCommand,
  msdpSendCommand,
  msdpUnreportCommand,
} from '../options/msdp.js';
export type { MsdpTable, MsdpValue, MsdpVariable } from '../options/msdp.js';
export { msdpVariables, sendMsdp, sendMsdpCommand } from '../option-helpers/msdp.js';

// MSSP: the server status table that MUD crawlers read.
export { DEFAULT_MSSP_LIMITS, decodeMssp, encodeMssp, MsspVariable } from '../options/mssp.js';
export type { MsspLimits, MsspTable, MsspValue } from '../options/mssp.js';
export { msspTables, serveMssp } from '../option-helpers/mssp.js';

// The io-ts payload codecs of the MUD options.
export { GmcpPayload, MsdpPayload, MsspPayload } from '../options/payload-codecs.js';

// MTTS (terminal capabilities over TERMINAL-TYPE) and MNES (variables over NEW-ENVIRON).
export { formatMtts, MttsBit, mttsFromBits, mttsTerminalTypes, mttsToBits, parseMtts } from '../options/ttype.js';
export type { MttsFlags } from '../options/ttype.js';
export { MnesVariable } from '../options/new-environ.js';

// Presets: what a MUD client and server agree to, and the client side in one subscription.
export { mudClientPolicy, mudServerPolicy } from '../options/presets.js';
export { standardMudClient } from '../option-helpers/standard-mud-client.js';
export type { MudClientEvent, StandardMudClientOptions } from '../option-helpers/standard-mud-client.js';
