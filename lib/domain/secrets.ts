import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys and edna tokens issued by the provisioning CLI: `msk_live_` (a prefix secret scanners can
 * be taught), 32 random bytes (256 bits) in base64url, and a 6-character checksum of those. The
 * checksum lets a forged or mistyped secret of this shape be refused without a DynamoDB read.
 * Secrets of any other shape (the demo's, or keys imported from elsewhere) are still looked up.
 */
export const SECRET_PREFIX = 'msk_live_';
const BODY_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const SHAPE = new RegExp(`^${SECRET_PREFIX}([A-Za-z0-9_-]{${BODY_LENGTH}})([A-Za-z0-9_-]{${CHECKSUM_LENGTH}})$`);

const checksum = (body: string): string => createHash('sha256').update(body).digest('base64url').slice(0, CHECKSUM_LENGTH);

export function generateSecret(): string {
  const body = randomBytes(32).toString('base64url');
  return `${SECRET_PREFIX}${body}${checksum(body)}`;
}

/** True for a secret that claims to be ours (the prefix) but cannot be: wrong length, alphabet or checksum. */
export function isForgedSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const match = SHAPE.exec(secret);
  return !match || checksum(match[1]!) !== match[2];
}

/** What may be shown of a secret after it was issued: enough to recognise it, far too little to use it. */
export const secretHint = (secret: string): string =>
  `${secret.slice(0, secret.startsWith(SECRET_PREFIX) ? SECRET_PREFIX.length + 4 : 4)}…`;
