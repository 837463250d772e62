import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../lib/cache.js';
import { keys } from '../../lib/store/keys.js';
import { loadConfig } from '../../lib/config.js';

describe('TtlCache', () => {
  it('expires entries, bounds its size, and does not cache misses', async () => {
    let now = 0;
    const cache = new TtlCache<string>(100, 2, () => now);
    cache.set('a', '1');
    now = 99;
    expect(cache.get('a')).toBe('1');
    now = 100;
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', '1');
    cache.set('b', '2');
    cache.set('c', '3');
    expect(cache.get('a')).toBeUndefined();
    let loads = 0;
    const load = async () => (++loads, undefined);
    await cache.getOrLoad('x', load);
    await cache.getOrLoad('x', load);
    expect(loads).toBe(2);
  });
});

describe('keys', () => {
  it('puts messages in their session partition, sortable by id', () => {
    expect(keys.message('s1', '01ABC')).toEqual({ pk: 'SESSION#s1', sk: 'MESSAGE#01ABC' });
    expect(keys.session('s1').pk).toBe(keys.message('s1', 'x').pk);
    expect(keys.peer('ep', '+1555')).toEqual({ pk: 'PEER#ep#+1555', sk: 'PEER' });
  });
});

describe('loadConfig', () => {
  it('treats an empty DYNAMODB_ENDPOINT as unset and fails fast without a table name', () => {
    expect(loadConfig({ TABLE_NAME: 'tbl', DYNAMODB_ENDPOINT: '' })).toEqual({ TABLE_NAME: 'tbl', DYNAMODB_ENDPOINT: undefined, CREDENTIAL_CACHE_SECONDS: 60, UNKNOWN_CREDENTIAL_CACHE_SECONDS: 10 });
    expect(() => loadConfig({})).toThrow(/TABLE_NAME/);
  });
});
