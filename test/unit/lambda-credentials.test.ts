import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../lib/store/lambda-credentials.js';

describe("the bundles' credential provider (Lambda's environment variables)", () => {
  afterEach(() => vi.unstubAllEnvs());

  it('reads the variables once and keeps them', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFIRST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    const provide = defaultProvider();
    expect(await provide()).toMatchObject({ accessKeyId: 'AKIDFIRST', secretAccessKey: 'secret' });
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDSECOND');
    expect(await provide()).toMatchObject({ accessKeyId: 'AKIDFIRST' });
  });

  it('reads them again past their expiration, and after a failed read', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    const provide = defaultProvider();
    await expect(provide()).rejects.toThrow();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFIRST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_CREDENTIAL_EXPIRATION', new Date(Date.now() - 1000).toISOString());
    expect(await provide()).toMatchObject({ accessKeyId: 'AKIDFIRST' });
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDSECOND');
    expect(await provide()).toMatchObject({ accessKeyId: 'AKIDSECOND' });
  });
});
