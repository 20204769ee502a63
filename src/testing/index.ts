/**
 * rxtelnet/testing: a test kit for code built on rxtelnet, for any test runner (it imports none). A scripted
 * peer plays the other end of a connection over the in-memory transport (expect these bytes, send those,
 * negotiate like a given real peer); the virtual-time helpers run connections, expect dialogues and MUD
 * pipelines under rxjs's `TestScheduler`, so timeouts, idle prompts and `ready$` take no real time.
 * Failures are typed errors (`ScriptMismatchError`, `ScriptTimeoutError`) whose messages show the bytes readably.
 *
 * @packageDocumentation
 */

// The scripted peer: steps, profiles, and the peer itself.
export { scriptedPeer } from './scripted-peer.js';
export type { PeerReport, ScriptedPeer, ScriptedPeerOptions } from './scripted-peer.js';
export {
  close,
  expectBytes,
  expectClosed,
  expectMatch,
  expectNegotiation,
  expectText,
  negotiate,
  send,
  sendText,
  wait,
} from './steps.js';
export type { PeerStep, StepOptions } from './steps.js';
export { compliantPeer, inetutilsTelnetd, mudServer, peerProfile, refusingPeer } from './profiles.js';
export type { PeerProfile } from './profiles.js';

// Failures of a script, and the byte rendering their messages use.
export { ScriptMismatchError, ScriptTimeoutError } from '../negotiation/errors.js';
export { describeBytes } from './describe-bytes.js';

// A transport driven by hand, synchronously.
export { manualTransport } from './manual-transport.js';
export type { ManualTransport } from './manual-transport.js';

// Virtual time: run under rxjs's TestScheduler, record what an Observable did.
export { record, runInVirtualTime, testConnection } from './virtual-time.js';
export type { ConnectionTest, Recording, VirtualTime } from './virtual-time.js';
