/** The operator's HTTP surface: health, readiness, metrics, stats, ingest. */
export { createHttpServer, type HttpServer, type HttpServerOptions, type HttpSurface } from './server.ts';
export { httpConfigProblems, isLoopback, checkBearer } from './auth.ts';
export { parseIngestBody, type IngestItem, type ParsedIngest } from './ingest.ts';
export { readinessOf, type Readiness, type ReadinessStatus } from './readiness.ts';
