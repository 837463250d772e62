import { forbidden, unauthorized } from './errors.js';
import { sha256 } from './hash.js';
import { isForgedSecret } from './secrets.js';
import type { CredentialStore } from './ports.js';

/** Evo Voice keys carry role User; edna tokens carry the edna permissions. */
export type Role = 'User' | 'INTEGRATOR' | 'OPERATOR' | 'SUPERVISOR';

/** The edna permissions that may send. */
export const EDNA_ROLES: readonly Role[] = ['INTEGRATOR', 'OPERATOR', 'SUPERVISOR'];

/** What an API key or token grants. Stored under the SHA-256 of the secret, never the secret. */
export interface Credential {
  accountId: string;
  roles: Role[];
  /** Numeric agent id reported by the edna API for messages this credential sends. */
  agentId?: number;
  /** Epoch seconds after which it is refused: the overlap of a rotated key (docs/table-design.md, Provisioning). */
  expiresAt?: number;
}

export type Principal = Credential;

export const hashSecret = sha256;

/** The one door: a missing or unknown secret is 401, a credential without any allowed role 403. */
export async function authenticate(credentials: CredentialStore, secret: string | undefined, allowed: readonly Role[]): Promise<Principal> {
  // A secret of our issued shape with a wrong checksum is refused without a read.
  if (!secret || isForgedSecret(secret)) throw unauthorized();
  const credential = await credentials.getCredential(hashSecret(secret));
  if (!credential) throw unauthorized();
  if (!credential.roles.some((role) => allowed.includes(role))) throw forbidden();
  return credential;
}
