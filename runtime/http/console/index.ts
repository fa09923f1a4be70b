/** The operator's console in the browser, served by the host's HTTP server under /ui. */
export { createConsole, type ConsoleHandler } from './console.ts';
export { describeTopology, lazyTopology, type ConsoleBinding, type ConsoleSource, type ConsoleTransport } from './source.ts';
export { CONTENT_SECURITY_POLICY } from './respond.ts';
