/** Prints how many milliseconds importing one entry point takes in this (fresh) process: `client` or `host`. */
const entry = process.argv[2] === 'host' ? 'stokcerdas' : 'stokcerdas/client';
const start = performance.now();
await import(entry);
console.log((performance.now() - start).toFixed(1));
