/**
 * The coded errors, as the runtime's modules import them. They are defined in errors/ at the root,
 * below both config/ and runtime/, because config/ throws them too and must not import the runtime.
 */
export * from '../errors/index.ts';
