import pino from 'pino';
import { createAmqpTransport } from '/work/main/runtime/transport/amqp/index.ts';
import { rabbitmqctl } from '/work/main/test/support/broker.ts';
const logger = pino({ level: 'debug' });
const q = 'dbg-restart-q';
const t = createAmqpTransport({ url: 'amqp://guest:guest@127.0.0.1:5672', connectionName: 'dbg', reconnect: { initialDelayMs: 200, maxDelayMs: 3000 }, publishBufferSize: 50000, logger });
await t.connect();
await t.assertTopology({ exchanges: [], queues: [{ name: q }], bindings: [] });
await t.purge(q);
const seen = new Set<string>();
await t.consume(q, { prefetch: 100, concurrency: 8 }, async (d) => { seen.add(d.properties.messageId!); return 'ack'; });
const total = 3000;
let inflight: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  if (i === 1000) { await rabbitmqctl('stop_app'); console.log('stopped'); setTimeout(() => rabbitmqctl('start_app').then(() => console.log('started')), 1000); }
  inflight.push(t.publish({ exchange: '', routingKey: q, body: Buffer.from('x'), properties: { messageId: `m-${i}` } }));
  if (inflight.length >= 200) { await Promise.all(inflight); inflight = []; }
}
await Promise.all(inflight);
console.log('published all', t.status());
for (let k = 0; k < 20 && seen.size < total; k++) { await new Promise(r => setTimeout(r, 1000)); console.log('seen', seen.size, t.status(), t.consumerStates()); }
await t.close();
