import { request as httpRequest } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = any>(): T;
}

/**
 * One request over real HTTP with node:http (not fetch): a server may answer 413 and close before
 * the whole body is sent; the answer still counts, the write error after it does not.
 */
export function request(
  port: number,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string>; chunked?: boolean; host?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined && !options.chunked) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = httpRequest({ host: options.host ?? '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    let answered = false;
    req.on('response', () => (answered = true));
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (options.body !== undefined) {
      if (options.chunked) {
        // several writes without a Content-Length: Transfer-Encoding chunked
        const buf = Buffer.from(options.body);
        for (let i = 0; i < buf.length; i += 16_384) req.write(buf.subarray(i, i + 16_384));
      } else req.write(options.body);
    }
    req.end();
  });
}
