// piscina's `filename` when the host runs from the TypeScript sources (the compiled host loads
// worker.js directly). Worker threads on Node 20 do not inherit tsx's loader hooks from the main
// thread (even with --import tsx in execArgv a .ts import fails with ERR_UNKNOWN_FILE_EXTENSION),
// so each worker registers tsx itself before importing the TypeScript entry and plugin modules —
// with this package's tsconfig, whose paths keep 'stokcerdas' the sources whatever the working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const entry = await import('./worker.ts');

export default entry.default;
