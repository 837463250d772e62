import { awsSms } from './aws-sms/index.js';
import { log } from './log.js';
import type { ProviderName } from './names.js';
import type { ProviderModule } from './registry.js';
import { simulated } from './simulated/index.js';

/**
 * Every provider, by the name DELIVERY_PROVIDERS gives it (`SMS=aws-sms,WHATSAPP=simulated`). A new
 * provider is one folder, one line here and its name in names.ts (docs/recipes/add-a-provider.md).
 */
export const providers = { simulated, 'aws-sms': awsSms, log } satisfies Record<ProviderName, ProviderModule>;
