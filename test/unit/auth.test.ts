import { describe, expect, it } from 'vitest';
import { authenticate, hashSecret } from '../../lib/domain/auth.js';
import { memoryDeps } from '../support/memory.js';

describe('authenticate', () => {
  const { deps } = memoryDeps({ credentials: [[hashSecret('k'), { accountId: 'a', roles: ['User'] }]] });

  it('finds the credential by the SHA-256 of the secret', async () => {
    expect(hashSecret('k')).toBe('8254c329a92850f6d539dd376f4816ee2764517da5e0235514af433164480d7a');
    await expect(authenticate(deps.credentials, 'k', ['User'])).resolves.toEqual({ accountId: 'a', roles: ['User'] });
  });

  it('is 401 without or with an unknown secret, 403 without an allowed role', async () => {
    await expect(authenticate(deps.credentials, undefined, ['User'])).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authenticate(deps.credentials, 'nope', ['User'])).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authenticate(deps.credentials, 'k', ['INTEGRATOR'])).rejects.toMatchObject({ code: 'forbidden' });
  });
});
