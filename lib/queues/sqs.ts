import { SQSClient } from '@aws-sdk/client-sqs';

/** One SQS client per container; `endpoint` only for the local emulator, whose queue URLs name a host that does not resolve. */
export const sqsClient = (endpoint: string | undefined) => new SQSClient({ endpoint });

/**
 * JSON with every character outside ASCII escaped: the same value, in text that SQS accepts whatever
 * the input held (SQS refuses control characters and lone surrogates, the emulator astral ones too).
 */
export const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A message attribute's text: escaped like a JSON string (reasons quote field names from the input). */
export const textAttribute = (value: string) => ({ DataType: 'String', StringValue: asciiJson(value).slice(1, -1) });
