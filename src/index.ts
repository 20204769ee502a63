export * from './protocol/commands.js';
export * from './protocol/options.js';
export * from './codec/events.js';
export type * from './transport/types.js';
