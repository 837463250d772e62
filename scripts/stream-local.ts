import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { invokeLambda, loop } from './lambda-invoke.js';

type Pattern = { [field: string]: Pattern | unknown[] };

/** The stream event of a function as serverless.yml deploys it: filter, batch size, retries. */
export interface StreamSource {
  filterPatterns: Pattern[];
  batchSize: number;
  maximumRetryAttempts: number;
}

export function streamSource(functionName: string, file = new URL('../serverless.yml', import.meta.url)): StreamSource {
  const config = parse(readFileSync(file, 'utf8')) as { functions: Record<string, { events: { stream?: StreamSource }[] }> };
  const stream = config.functions[functionName]!.events.find((event) => event.stream)!.stream!;
  return {
    filterPatterns: stream.filterPatterns ?? [],
    batchSize: stream.batchSize ?? 100,
    maximumRetryAttempts: stream.maximumRetryAttempts ?? 0,
  };
}

/** Lambda's event filtering, for the patterns used here: exact values listed per field, nested. */
export function matchesPattern(pattern: Pattern, value: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = (value as Record<string, unknown> | undefined)?.[field];
    return Array.isArray(expected) ? expected.includes(actual) : matchesPattern(expected as Pattern, actual);
  });
}

/** A stream record as Lambda's DynamoDB event source hands it to the function. */
function toLambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  const { ApproximateCreationDateTime, ...dynamodb } = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(dynamodb as DynamoDBRecord['dynamodb']),
      ...(ApproximateCreationDateTime ? { ApproximateCreationDateTime: ApproximateCreationDateTime.getTime() / 1000 } : {}),
    },
  };
}

/**
 * What Lambda's DynamoDB stream event source does, for serverless-offline (which polls no stream):
 * reads every shard of the table's stream from the time it starts (LATEST, as deployed; shards that
 * open later from their beginning), keeps the records the function's filter passes, and invokes the
 * function with batches of them in order. A reported failure retries the batch from that record; a
 * failed invocation is bisected; after `maximumRetryAttempts` a record is given up (logged: the
 * on-failure destination in AWS), so no record blocks its shard.
 */
export async function pollStream(
  endpoint: string,
  tableName: string,
  invokeUrl: string,
  source: StreamSource,
): Promise<{ stop(): Promise<void> }> {
  const tables = new DynamoDBClient({ endpoint });
  const { Table } = await tables.send(new DescribeTableCommand({ TableName: tableName }));
  tables.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) {
    console.error(`Stream poller: table ${tableName} has no stream; nothing is dispatched`);
    return { stop: async () => undefined };
  }
  const client = new DynamoDBStreamsClient({ endpoint });
  const iterators = new Map<string, string | undefined>();
  const discover = async (type: 'LATEST' | 'TRIM_HORIZON') => {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (iterators.has(shard.ShardId!) || (type === 'LATEST' && shard.SequenceNumberRange?.EndingSequenceNumber)) continue;
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: type }),
      );
      iterators.set(shard.ShardId!, ShardIterator);
    }
  };
  await discover('LATEST');

  const deliver = async (batch: DynamoDBRecord[], signal: AbortSignal): Promise<void> => {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > source.maximumRetryAttempts) {
        console.error(
          `Stream poller: gave up on ${pending.length} record(s) after ${attempt} attempts: ${pending.map((r) => r.eventID).join(', ')}`,
        );
        return;
      }
      const outcome = await invokeLambda<DynamoDBBatchResponse>(invokeUrl, { Records: pending }, signal);
      if (outcome.ok) {
        const failed = outcome.result?.batchItemFailures?.[0]?.itemIdentifier;
        const from = failed === undefined ? -1 : pending.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
        pending = from < 0 ? [] : pending.slice(from);
      } else if (pending.length > 1) {
        const half = Math.ceil(pending.length / 2);
        await deliver(pending.slice(0, half), signal);
        return deliver(pending.slice(half), signal);
      }
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  };

  let sinceDiscovery = 0;
  const poller = loop('Stream poller', 100, async (signal) => {
    if (++sinceDiscovery >= 10) {
      sinceDiscovery = 0;
      await discover('TRIM_HORIZON');
    }
    let busy = false;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      const { Records = [], NextShardIterator } = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }), {
        abortSignal: signal,
      });
      iterators.set(shardId, NextShardIterator);
      const records = Records.map((r) => toLambdaRecord(r, streamArn)).filter(
        (r) => source.filterPatterns.length === 0 || source.filterPatterns.some((p) => matchesPattern(p, r)),
      );
      for (let i = 0; i < records.length; i += source.batchSize) await deliver(records.slice(i, i + source.batchSize), signal);
      busy ||= Records.length > 0;
    }
    return busy;
  });
  return {
    async stop() {
      await poller.stop();
      client.destroy();
    },
  };
}
