import type { SNSEvent } from 'aws-lambda';
import { applyConsentKeyword } from '../lib/domain/consent/inbound-keywords.js';
import { isDropped, receiveMessage } from '../lib/domain/inbound.js';
import { logger, loggedHandler } from '../lib/log.js';
import { keywordDeps } from '../lib/runtime/consent.js';
import { inboundDeps, inboundMessage } from '../lib/runtime/inbound.js';
import { openContainer } from '../lib/runtime/index.js';
import { notificationOf } from '../lib/wire/sns.js';

const container = openContainer();
const deps = inboundDeps(container);
const keywords = keywordDeps(container);

/**
 * aws-sms two-way messages from the stage's inbound SNS topic, each stored in its conversation,
 * exactly once per provider message id, then its consent keyword applied (STOP, START, HELP: the change
 * and the confirmation, each once). A transient failure fails the invocation and SNS retries it.
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
    else {
      const { consent, changed, reply } = await applyConsentKeyword(keywords, result);
      logger.info('Inbound message stored', { messageId: result.id, sessionId: result.sessionId, consent, changed, replyId: reply?.id });
    }
  }
});
