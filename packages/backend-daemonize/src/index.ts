export { LocalTransport, createLocalTransportProvider } from './local-transport.js';
export type { LocalTransportOptions } from './local-transport.js';
export * from './monitored-script/index.js';
