import type { SNSEvent } from 'aws-lambda';
import { isDropped, receiveMessage } from '../lib/domain/inbound.js';
import { logger, loggedHandler } from '../lib/log.js';
import { inboundDeps, inboundMessage } from '../lib/runtime/inbound.js';
import { openContainer } from '../lib/runtime/index.js';
import { notificationOf } from '../lib/wire/sns.js';

const deps = inboundDeps(openContainer());

/**
 * aws-sms two-way messages from the stage's inbound SNS topic, each stored in its conversation,
 * exactly once per provider message id. A transient failure fails the invocation and SNS retries it.
 */
export const handler = loggedHandler<SNSEvent, void>().handler(async (event) => {
  for (const record of event.Records) {
    const inbound = inboundMessage(notificationOf(record));
    if (!inbound) {
      logger.warn('Inbound notification ignored', { snsMessageId: record.Sns.MessageId });
      continue;
    }
    const result = await receiveMessage(deps, inbound);
    if (isDropped(result))
      logger.warn('Inbound message dropped', {
        reason: result.dropped,
        number: result.number,
        providerMessageId: inbound.providerMessageId,
      });
    else logger.info('Inbound message stored', { messageId: result.id, sessionId: result.sessionId });
  }
});
