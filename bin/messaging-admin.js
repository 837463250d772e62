#!/usr/bin/env node
// `npx messaging-admin ...` in a checkout: runs the TypeScript CLI through tsx (a dev dependency).
import { register } from 'tsx/esm/api';

register();
await import('../scripts/admin.ts');
