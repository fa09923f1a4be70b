import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../runtime/errors.ts';
import { createAmqpTransport, defaultConnectionName, type AmqpTransport } from '../../../runtime/transport/amqp/index.ts';
import type { TransportStatus } from '../../../runtime/transport/contract.ts';
import { closeConnectionNamed, deleteByPrefix, getBrokerUrl, rabbitmqctl, uniquePrefix, waitFor } from '../../support/broker.ts';

const prefix = uniquePrefix('amqp-connection');
const queue = `${prefix}.q`;
const tlsQueue = `${prefix}.tls`;
let url: string;
const open: AmqpTransport[] = [];

function transportFor(overrides: Partial<Parameters<typeof createAmqpTransport>[0]> = {}): AmqpTransport {
  const t = createAmqpTransport({ url, reconnect: { initialDelayMs: 100, maxDelayMs: 1000 }, publishBufferSize: 1000, connectionName: prefix, ...overrides });
  open.push(t);
  return t;
}

const msg = (n: number) => ({ exchange: '', routingKey: queue, body: Buffer.from(String(n)), properties: {} });

beforeAll(async () => {
  url = await getBrokerUrl();
});

afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
  await deleteByPrefix(url, prefix, { queues: [queue, tlsQueue] });
});

describe('amqp transport: connection (real broker)', () => {
  it('names its connection stokcerdas@<host>/<pid> unless told otherwise', async (ctx) => {
    expect(defaultConnectionName()).toMatch(/^stokcerdas@.+\/\d+$/);
    const t = transportFor({ connectionName: `${prefix}-named` });
    await t.connect();
    const out = await rabbitmqctl('-q', 'list_connections', 'client_properties').catch(() => ctx.skip());
    expect(out).toContain(`{"connection_name","${prefix}-named"}`);
  });

  it('refuses a publish at once with PUBLISH_BUFFER_FULL once the buffer is full while disconnected', async () => {
    const t = transportFor({ url: 'amqp://guest:guest@127.0.0.1:1', publishBufferSize: 3, connectTimeoutMs: 300 });
    await expect(t.connect()).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_CLOSED, message: expect.stringContaining('127.0.0.1:1') });
    const buffered = [1, 2, 3].map((n) => t.publish(msg(n)));
    buffered.forEach((p) => p.catch(() => {}));
    expect(t.status()).toMatchObject({ connected: false, bufferedPublishes: 3 });
    const started = Date.now();
    await expect(t.publish(msg(4))).rejects.toMatchObject({
      code: ErrorCodes.PUBLISH_BUFFER_FULL,
      message: expect.stringContaining('publishBufferSize 3'),
    });
    await expect(t.publishBatch([msg(5)])).rejects.toMatchObject({ code: ErrorCodes.PUBLISH_BUFFER_FULL });
    expect(Date.now() - started).toBeLessThan(100);
    await t.close();
    for (const p of buffered) await expect(p).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_CLOSED });
  });

  it('fails connect() fast and clearly on bad credentials, without the password', async () => {
    const bad = url.replace(/\/\/[^@]*@/, '//guest:wrong-secret@');
    const t = transportFor({ url: bad, connectTimeoutMs: 5000 });
    const err = await t.connect().then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/ACCESS_REFUSED|ACCESS-REFUSED|403/);
    expect(err?.message).not.toContain('wrong-secret');
  });

  it('holds publishes while reconnecting and sends them once the connection is back', async (ctx) => {
    const name = `${prefix}-buffer`;
    const t = transportFor({ connectionName: name, reconnect: { initialDelayMs: 400, maxDelayMs: 400 } });
    const seen: TransportStatus[] = [];
    await t.connect();
    t.onStatusChange((s) => seen.push(s));
    await t.assertTopology({ exchanges: [], queues: [{ name: queue }], routes: [] });
    await t.purge(queue);
    if ((await closeConnectionNamed(name).catch(() => 0)) === 0) ctx.skip();
    await waitFor(() => !t.status().connected, 5000);
    const during = Array.from({ length: 50 }, (_, i) => t.publish(msg(i)));
    expect(t.status().bufferedPublishes).toBe(50);
    await Promise.all(during);
    expect(t.status()).toMatchObject({ connected: true, reconnects: 1, bufferedPublishes: 0 });
    expect((await t.queueInfo(queue)).messages).toBe(50);
    expect(seen.map((s) => s.connected)).toEqual([false, true]);
    await t.purge(queue);
  });

  it('publishes on a connection of its own; losing it alone is one reconnect and loses no publish', async (ctx) => {
    const name = `${prefix}-two`;
    const t = transportFor({ connectionName: name, reconnect: { initialDelayMs: 300, maxDelayMs: 300 } });
    await t.connect();
    await t.assertTopology({ exchanges: [], queues: [{ name: queue }], routes: [] });
    await t.purge(queue);
    const out = await rabbitmqctl('-q', 'list_connections', 'client_properties').catch(() => ctx.skip());
    expect(out).toContain(`{"connection_name","${name}"}`);
    expect(out).toContain(`{"connection_name","${name} (publish)"}`);
    const seen: TransportStatus[] = [];
    t.onStatusChange((s) => seen.push(s));
    if ((await closeConnectionNamed(`${name} (publish)`).catch(() => 0)) === 0) ctx.skip();
    const during = Array.from({ length: 20 }, (_, i) => t.publish(msg(i)));
    await Promise.all(during);
    await waitFor(() => t.status().connected, 5000);
    expect(t.status()).toMatchObject({ connected: true, reconnects: 1, bufferedPublishes: 0 });
    expect(seen.map((s) => s.connected)).toEqual([false, true]);
    await waitFor(async () => (await t.queueInfo(queue)).messages >= 20, 5000);
    expect((await t.queueInfo(queue)).messages).toBe(20);
    await t.purge(queue);
  });

  it('connects over amqps:// with a CA and a client certificate', async () => {
    const certs = makeCerts();
    const broker = new URL(url);
    const proxy = tls.createServer(
      { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true, rejectUnauthorized: true },
      (client) => {
        const upstream = net.connect(Number(broker.port || 5672), broker.hostname);
        client.pipe(upstream).pipe(client);
        const end = () => { client.destroy(); upstream.destroy(); };
        client.on('error', end);
        upstream.on('error', end);
      },
    );
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as net.AddressInfo).port;
    try {
      const t = transportFor({
        url: `amqps://${broker.username}:${broker.password}@localhost:${port}${broker.pathname}`,
        tls: { ca: certs.caPath, cert: certs.clientCert, key: certs.clientKeyPath },
      });
      await t.connect();
      await t.assertTopology({ exchanges: [], queues: [{ name: tlsQueue }], routes: [] });
      await t.publish({ ...msg(1), routingKey: tlsQueue });
      expect(await t.purge(tlsQueue)).toBe(1);
      await t.close();
      const untrusted = transportFor({ url: `amqps://guest:guest@localhost:${port}/`, connectTimeoutMs: 1500 });
      await expect(untrusted.connect()).rejects.toMatchObject({ message: expect.stringMatching(/certificate|self.signed/i) });
      await untrusted.close();
    } finally {
      proxy.close();
      rmSync(certs.dir, { recursive: true, force: true });
    }
  });
});

/** A throwaway CA, a server certificate for localhost and a client certificate, made with openssl. */
function makeCerts() {
  const dir = mkdtempSync(join(tmpdir(), 'stokcerdas-tls-'));
  const p = (f: string) => join(dir, f);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '1', '-subj', '/CN=stokcerdas-test-ca');
  for (const who of ['server', 'client']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p(`${who}.key`), '-out', p(`${who}.csr`), '-subj', `/CN=${who === 'server' ? 'localhost' : 'stokcerdas'}`);
    const ext = p(`${who}.ext`);
    execFileSync('sh', ['-c', `printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > ${ext}`]);
    ssl('x509', '-req', '-in', p(`${who}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p(`${who}.pem`), '-days', '1', '-extfile', ext);
  }
  return {
    dir,
    caPath: p('ca.pem'),
    ca: readFileSync(p('ca.pem')),
    serverKey: readFileSync(p('server.key')),
    serverCert: readFileSync(p('server.pem')),
    clientCert: readFileSync(p('client.pem'), 'utf8'),
    clientKeyPath: p('client.key'),
  };
}
