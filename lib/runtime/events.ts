import type { CommandDeps } from '../domain/commands.js';
import { phoneNumbers } from '../domain/phone.js';
import { deadLetterQueue } from '../queues/dead-letter.js';
import { sqsClient } from '../queues/sqs.js';
import { required } from './config.js';
import { accountStore, ednaDeps, producerStore, sendDeps, type Container } from './index.js';

/** The events (send-from-queue, send-from-event) run both APIs' sends; permanent refusals go to DEAD_LETTER_QUEUE_URL. */
export const eventDeps = (container: Container): CommandDeps & { deadLetter: ReturnType<typeof deadLetterQueue> } => ({
  ...ednaDeps(container),
  ...sendDeps(container, phoneNumbers),
  accounts: accountStore(container.table),
  producers: producerStore(container.table),
  deadLetter: deadLetterQueue(sqsClient(container.config.SQS_ENDPOINT), required(container.config, 'DEAD_LETTER_QUEUE_URL')),
});
