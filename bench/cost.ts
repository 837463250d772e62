import { createServer, request as httpRequest, type Server } from 'node:http';
import { context, type Handler } from './lambda.js';

export interface Tally {
  reads: number;
  writes: number;
  readUnits: number;
  writeUnits: number;
  /** Of the reads, those of a recipient's opt-out record (`OPTOUTS#`, the consent check). */
  consentReads?: number;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

/**
 * A proxy in front of DynamoDB Local that adds ReturnConsumedCapacity: TOTAL to every request and
 * counts requests and capacity per operation kind: the cost of a send, measured from the outside.
 */
export async function costProxy(target: number): Promise<{ port: number; tally: Tally; reset(): void; close(): void }> {
  const tally: Tally = { reads: 0, writes: 0, readUnits: 0, writeUnits: 0, consentReads: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const write = WRITES.has(operation);
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      const consent = operation === 'GetItem' && String((input.Key as { pk?: { S?: string } } | undefined)?.pk?.S).startsWith('OPTOUTS#');
      input.ReturnConsumedCapacity = 'TOTAL';
      const body = Buffer.from(JSON.stringify(input));
      const forward = httpRequest(
        { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: { ...req.headers, 'content-length': body.length } },
        (upstream) => {
          const out: Buffer[] = [];
          upstream.on('data', (c: Buffer) => out.push(c));
          upstream.on('end', () => {
            const text = Buffer.concat(out).toString('utf8');
            if (write) tally.writes++;
            else tally.reads++;
            if (consent) tally.consentReads!++;
            try {
              const consumed = (JSON.parse(text) as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] })
                .ConsumedCapacity;
              const units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
              if (write) tally.writeUnits += units;
              else tally.readUnits += units;
            } catch {
              /* not JSON: nothing to count */
            }
            res.writeHead(upstream.statusCode ?? 500, upstream.headers);
            res.end(text);
          });
        },
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    tally,
    reset: () => Object.assign(tally, { reads: 0, writes: 0, readUnits: 0, writeUnits: 0, consentReads: 0 }),
    close: () => server.close(),
  };
}

export type Proxy = Awaited<ReturnType<typeof costProxy>>;

/** The DynamoDB cost of one request, averaged over `n` after three warm-ups (the container's caches filled). */
export async function costPerRequest(proxy: Proxy, handler: Handler, event: () => unknown, n = 20): Promise<Tally> {
  for (let i = 0; i < 3; i++) await handler(event(), context());
  proxy.reset();
  for (let i = 0; i < n; i++) {
    const { statusCode } = await handler(event(), context());
    if (statusCode !== 200) throw new Error(`bench request answered ${statusCode}`);
  }
  const { reads, writes, readUnits, writeUnits, consentReads = 0 } = proxy.tally;
  return { reads: reads / n, writes: writes / n, readUnits: readUnits / n, writeUnits: writeUnits / n, consentReads: consentReads / n };
}
