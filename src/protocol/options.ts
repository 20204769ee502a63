/**
 * Telnet option codes: the IANA registry plus the MUD protocols (GMCP, MSDP, MSSP, MCCP, MXP, ZMP...).
 *
 * @example
 * ```ts
 * import { TelnetOption } from 'rxtelnet';
 * TelnetOption.NAWS; // 31
 * ```
 */
export const TelnetOption = {
  BINARY: 0,
  ECHO: 1,
  RCP: 2,
  SGA: 3,
  NAMS: 4,
  STATUS: 5,
  TM: 6,
  RCTE: 7,
  NAOL: 8,
  NAOP: 9,
  NAOCRD: 10,
  NAOHTS: 11,
  NAOHTD: 12,
  NAOFFD: 13,
  NAOVTS: 14,
  NAOVTD: 15,
  NAOLFD: 16,
  XASCII: 17,
  LOGOUT: 18,
  BM: 19,
  DET: 20,
  SUPDUP: 21,
  SUPDUPOUTPUT: 22,
  SNDLOC: 23,
  TTYPE: 24,
  EOR: 25,
  TUID: 26,
  OUTMRK: 27,
  TTYLOC: 28,
  VT3270REGIME: 29,
  X3PAD: 30,
  NAWS: 31,
  TSPEED: 32,
  LFLOW: 33,
  LINEMODE: 34,
  XDISPLOC: 35,
  OLD_ENVIRON: 36,
  AUTHENTICATION: 37,
  ENCRYPT: 38,
  NEW_ENVIRON: 39,
  TN3270E: 40,
  XAUTH: 41,
  CHARSET: 42,
  RSP: 43,
  COM_PORT: 44,
  SLE: 45,
  STARTTLS: 46,
  KERMIT: 47,
  SEND_URL: 48,
  FORWARD_X: 49,
  MSDP: 69,
  MSSP: 70,
  MCCP1: 85,
  MCCP2: 86,
  MCCP3: 87,
  MSP: 90,
  MXP: 91,
  ZMP: 93,
  PRAGMA_LOGON: 138,
  SSPI_LOGON: 139,
  PRAGMA_HEARTBEAT: 140,
  ATCP: 200,
  GMCP: 201,
  EXOPL: 255,
} as const;

/**
 * The name of a Telnet option, e.g. `'NAWS'`.
 *
 * @example
 * ```ts
 * import { TelnetOption } from 'rxtelnet';
 * import type { TelnetOptionName } from 'rxtelnet';
 * const wanted: readonly TelnetOptionName[] = ['NAWS', 'TTYPE'];
 * const codes = wanted.map((name) => TelnetOption[name]); // [31, 24]
 * ```
 */
export type TelnetOptionName = keyof typeof TelnetOption;

const optionNames: ReadonlyMap<number, TelnetOptionName> = new Map(
  (Object.keys(TelnetOption) as TelnetOptionName[]).map((name) => [TelnetOption[name], name]),
);

/**
 * The symbolic name of an option code, or its decimal value for codes with no name.
 *
 * @example
 * ```ts
 * import { optionName } from 'rxtelnet';
 * optionName(31); // 'NAWS'
 * optionName(200); // 'ATCP'
 * ```
 */
export const optionName = (option: number): string => optionNames.get(option) ?? String(option);
