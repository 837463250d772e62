import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../lib/cache.js';
import { keys } from '../../lib/store/keys.js';
import { loadConfig, required } from '../../lib/runtime/config.js';

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
    expect(loadConfig({ TABLE_NAME: 'tbl', DYNAMODB_ENDPOINT: '' })).toMatchObject({
      TABLE_NAME: 'tbl',
      DYNAMODB_ENDPOINT: undefined,
      CREDENTIAL_CACHE_SECONDS: 60,
      UNKNOWN_CREDENTIAL_CACHE_SECONDS: 10,
    });
    expect(() => required(loadConfig({}), 'TABLE_NAME')).toThrow('Invalid configuration: TABLE_NAME: required');
  });

  it("reads every function's variables in one schema and names each bad one", () => {
    expect(() => loadConfig({ CREDENTIAL_CACHE_SECONDS: 'soon', CALLBACK_RETRY_SECONDS: '10,901', DELIVERY_PROVIDERS: 'SMS' })).toThrow(
      /^Invalid configuration: CREDENTIAL_CACHE_SECONDS: .*; DELIVERY_PROVIDERS: 'SMS' must be CHANNEL=provider; CALLBACK_RETRY_SECONDS: 0 to 900 each$/,
    );
    expect(loadConfig({ CALLBACK_RETRY_SECONDS: '1,2' }).CALLBACK_RETRY_SECONDS).toEqual([1, 2]);
  });
});
