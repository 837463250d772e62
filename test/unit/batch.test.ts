import { describe, expect, it } from 'vitest';
import { runBatch } from '../../lib/wire/batch.js';

const BUDGET = 3000;
const ids = ['a', 'b', 'c', 'd'];
const options = (mode: 'queue' | 'stream', parallel: boolean, remainingMs = () => 10_000) => ({
  mode,
  parallel,
  recordBudgetMs: BUDGET,
  idOf: (id: string) => id,
  remainingMs,
});
const failures = (...itemIdentifiers: string[]) => ({ batchItemFailures: itemIdentifiers.map((itemIdentifier) => ({ itemIdentifier })) });

describe('one batch runner for the four pipelines', () => {
  it('queue, one after another: starts no record with less than its budget left and reports each failed and unstarted record', async () => {
    let remaining = 3 * BUDGET - 1;
    const started: string[] = [];
    const result = await runBatch(
      ids,
      options('queue', false, () => remaining),
      async (id) => {
        started.push(id);
        remaining -= BUDGET;
        if (id === 'a') throw new Error('down');
      },
    );
    expect(started).toEqual(['a', 'b']);
    expect(result).toEqual(failures('a', 'c', 'd'));
  });

  it('queue, at once: reports every failed record', async () => {
    const result = await runBatch(ids, options('queue', true), async (id) => {
      if (id === 'b' || id === 'd') throw new Error('down');
    });
    expect(result).toEqual(failures('b', 'd'));
  });

  it('stream, at once: every record runs, the first failure in order is reported', async () => {
    const started: string[] = [];
    const result = await runBatch(ids, options('stream', true), async (id) => {
      started.push(id);
      if (id === 'c' || id === 'b') throw new Error('down');
    });
    expect(started).toEqual(ids);
    expect(result).toEqual(failures('b'));
  });

  it('stream, one after another: stops at the first failure, which the stream retries from', async () => {
    const started: string[] = [];
    const result = await runBatch(ids, options('stream', false), async (id) => {
      started.push(id);
      if (id === 'b') throw new Error('down');
    });
    expect(started).toEqual(['a', 'b']);
    expect(result).toEqual(failures('b'));
  });

  it('starts nothing of a parallel batch with too little time left, and reports it whole', async () => {
    const started: string[] = [];
    expect(
      await runBatch(
        ids,
        options('queue', true, () => BUDGET - 1),
        async (id) => void started.push(id),
      ),
    ).toEqual(failures(...ids));
    expect(
      await runBatch(
        ids,
        options('stream', true, () => BUDGET - 1),
        async (id) => void started.push(id),
      ),
    ).toEqual(failures('a'));
    expect(started).toEqual([]);
  });

  it('runs the whole batch when time is ample', async () => {
    expect(await runBatch(ids, options('queue', false), async () => {})).toEqual(failures());
  });
});
