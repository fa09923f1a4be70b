// piscina's `filename`. Worker threads on Node 20 do not inherit tsx's loader hooks from the main
// thread (even with --import tsx in execArgv a .ts import fails with ERR_UNKNOWN_FILE_EXTENSION),
// so each worker registers tsx itself before importing the TypeScript entry and plugin modules.
import { register } from 'tsx/esm/api';

register();
const entry = await import('./worker.ts');

export default entry.default;
