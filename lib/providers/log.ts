import { logger } from '../log.js';
import type { ProviderModule } from './registry.js';

/**
 * Sends nothing: logs each hand-off (ids, channel, segments; never the text or the numbers) and
 * accepts it under an id derived from the message id, so that a repeat is the same hand-off. For a
 * stage that must exercise the whole pipeline without a carrier, e.g. a load test; its messages stay
 * `sent` (no reports). It is also the recipe's worked example (docs/recipes/add-a-provider.md).
 */
export const log: ProviderModule = {
  create: () => ({
    name: 'log',
    idempotent: true,
    async send(message) {
      logger.info('Hand-off logged, not sent', {
        messageId: message.messageId,
        accountId: message.accountId,
        channel: message.channel,
        segments: message.segments,
      });
      return { kind: 'accepted', providerMessageId: `log-${message.messageId}` };
    },
  }),
};
