import * as z from 'zod/mini';
import { invalidField } from '../errors.js';
import { isBlank, nameSchema, noBidiControls, parseOrThrow, wellFormed } from '../validation.js';
import { CHANNEL_TYPES, DEVICE_ADDRESS_RULES, type ChannelType } from './channels.js';

/** Longest text an edna message may carry (WhatsApp's limit). */
export const MAX_EDNA_TEXT_LENGTH = 4096;
export const MAX_ATTACHMENTS = 10;

/** The seed names attachmentDTO without its fields; this is our documented shape. */
export const attachmentSchema = z.strictObject({
  url: z
    .string()
    .check(z.maxLength(2048), z.regex(/^https:\/\/[^\s]+$/, { error: 'must be an https URL' }), wellFormed(), noBidiControls()),
  name: nameSchema(255),
  mimeType: z.string().check(z.maxLength(127), z.regex(/^[\w.+-]+\/[\w.+-]+$/, { error: 'must be a media type such as image/png' })),
  size: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(100 * 1024 * 1024))),
});

const descriptorSchema = z.strictObject({
  channelType: z.enum(CHANNEL_TYPES),
  deviceAddress: z.string().check(z.minLength(1), z.maxLength(256)),
  clientId: z.optional(nameSchema(128)),
  unauthorizedClientId: z.optional(nameSchema(128)),
  appMarker: z.optional(nameSchema(128)),
});

/** The request as the seed shows it; the descriptor under either of the seed's two spellings. */
export const outgoingToDeviceSchema = z.strictObject({
  text: z.optional(z.string().check(z.maxLength(MAX_EDNA_TEXT_LENGTH), wellFormed())),
  attachments: z.optional(z.array(attachmentSchema).check(z.maxLength(MAX_ATTACHMENTS))),
  clientApplicationDescriptor: z.optional(descriptorSchema),
  applicationDescriptor: z.optional(descriptorSchema),
});

export type Attachment = z.infer<typeof attachmentSchema>;
export type ApplicationDescriptor = z.infer<typeof descriptorSchema>;

export interface OutgoingToDevice {
  text: string;
  attachments: Attachment[];
  descriptor: ApplicationDescriptor;
  /** Where the descriptor was given, for error messages. */
  descriptorField: string;
}

export function parseOutgoingToDevice(input: unknown): OutgoingToDevice {
  const request = parseOrThrow(outgoingToDeviceSchema, input);
  const { clientApplicationDescriptor, applicationDescriptor } = request;
  if (clientApplicationDescriptor && applicationDescriptor) {
    throw invalidField(
      'applicationDescriptor',
      'OnlyOneAllowed',
      "Give either 'clientApplicationDescriptor' or 'applicationDescriptor', not both.",
    );
  }
  const descriptor = clientApplicationDescriptor ?? applicationDescriptor;
  if (!descriptor) throw invalidField('clientApplicationDescriptor', 'NotEmpty', "'clientApplicationDescriptor' is required.");
  const descriptorField = clientApplicationDescriptor ? 'clientApplicationDescriptor' : 'applicationDescriptor';
  checkDeviceAddress(descriptor.channelType, descriptor.deviceAddress, `${descriptorField}.deviceAddress`);

  // Text that shows nothing (whitespace, U+200B...) is no text: the message then needs an attachment.
  const text = isBlank(request.text ?? '') ? '' : request.text!.trim();
  const attachments = request.attachments ?? [];
  if (!text && attachments.length === 0) throw invalidField('text', 'NotEmpty', "A message needs 'text' or at least one attachment.");
  return { text, attachments, descriptor, descriptorField };
}

function checkDeviceAddress(channel: ChannelType, address: string, field: string): void {
  const rule = DEVICE_ADDRESS_RULES[channel];
  if (!rule.pattern.test(address))
    throw invalidField(field, 'InvalidDeviceAddress', `'${field}' for ${channel} must be ${rule.description}.`);
}

/** The text stored in the MessageInfo: the message text, or the attachments' names for an attachment-only message. */
export const storedText = ({ text, attachments }: OutgoingToDevice): string =>
  text || attachments.map((a) => `[attachment: ${a.name}]`).join(' ');
