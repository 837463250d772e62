import { createHash } from 'node:crypto';

/** Hex SHA-256: how secrets (API keys, idempotency keys) and request fingerprints are stored. */
export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
