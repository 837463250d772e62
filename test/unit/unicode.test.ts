import { describe, expect, it } from 'vitest';
import { parseOutgoingToDevice } from '../../lib/domain/edna/outgoing-to-device.js';
import { isDomainError, type FieldError } from '../../lib/domain/errors.js';
import { parseSendMessage } from '../../lib/domain/send-message.js';
import { isBlank } from '../../lib/domain/validation.js';

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';
const ZWSP = '\u200b';
const RLO = '\u202e';

/** The refused fields of a parse, as `field code` strings. */
function refusals(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return error.fields.map(({ field, code }: FieldError) => `${field} ${code}`);
  }
  throw new Error('accepted');
}

const send = (fields: Record<string, unknown>) => () => parseSendMessage({ sessionId: 'ses_1', body: 'hi', ...fields });
const descriptor = { channelType: 'MOBILE', deviceAddress: 'dev1' };
const attachment = { url: 'https://x.test/a.png', name: 'a.png', mimeType: 'image/png' };
const edna =
  (fields: Record<string, unknown>, descriptorFields: Record<string, unknown> = {}) =>
  () =>
    parseOutgoingToDevice({ text: 'hi', ...fields, clientApplicationDescriptor: { ...descriptor, ...descriptorFields } });

describe('isBlank', () => {
  it.each(['', ' \n\t', ZWSP, `${ZWSP}\ufeff\u2060`, RLO, '\u2066\u2069 '])('%j shows nothing', (text) => expect(isBlank(text)).toBe(true));
  it.each(['a', `${ZWSP}a`, '\u05e9', '🙂', LONE_HIGH])('%j shows something', (text) => expect(isBlank(text)).toBe(false));
});

describe('Evo Voice SendMessage', () => {
  it.each([`a${LONE_HIGH}`, `${LONE_LOW}b`, `x${LONE_LOW}${LONE_HIGH}y`])('refuses the unpaired surrogate in body %j', (body) => {
    expect(refusals(send({ body }))).toEqual(['body InvalidUnicode']);
  });

  it.each([ZWSP, ` ${ZWSP}\ufeff `, `${RLO}\u2069`])('treats the invisible-only body %j as empty', (body) => {
    expect(refusals(send({ body }))).toEqual(['body NotEmpty']);
  });

  it('keeps paired surrogates, joiners and bidi controls in message text (right-to-left languages need them)', () => {
    const body = `שלום \u2067world\u2069 👩\u200d💻 ${RLO}x`;
    expect(parseSendMessage({ sessionId: 'ses_1', body }).text).toBe(body);
  });

  it.each([
    [{ sessionId: `ses${LONE_HIGH}` }, 'sessionId InvalidFormat'],
    [{ sessionId: undefined, endpointId: `ep${RLO}`, toAddress: '+15556667777' }, 'endpointId InvalidFormat'],
    [{ sessionId: undefined, endpointId: 'ep_1', toAddress: `+1555${LONE_HIGH}` }, 'toAddress InvalidUnicode'],
  ])('refuses %j', (fields, refusal) => {
    expect(refusals(send(fields))).toEqual([refusal]);
  });
});

describe('edna outgoing-to-device', () => {
  it.each(['clientId', 'unauthorizedClientId', 'appMarker'])(
    'refuses an unpaired surrogate, a bidi control and an invisible-only %s',
    (field) => {
      const path = `clientApplicationDescriptor.${field}`;
      expect(refusals(edna({}, { [field]: `c${LONE_HIGH}` }))).toEqual([`${path} InvalidUnicode`]);
      expect(refusals(edna({}, { [field]: `c${RLO}gpj.exe` }))).toEqual([`${path} InvalidCharacters`]);
      expect(refusals(edna({}, { [field]: ZWSP }))).toEqual([`${path} NotEmpty`]);
    },
  );

  it.each([
    [{ name: `a${LONE_LOW}.png` }, 'attachments.0.name InvalidUnicode'],
    [{ name: `invoice${RLO}fdp.exe` }, 'attachments.0.name InvalidCharacters'],
    [{ name: `${ZWSP} ` }, 'attachments.0.name NotEmpty'],
    [{ url: `https://x.test/${LONE_HIGH}` }, 'attachments.0.url InvalidUnicode'],
    [{ url: `https://x.test/${RLO}` }, 'attachments.0.url InvalidCharacters'],
  ])('refuses the attachment %j', (fields, refusal) => {
    expect(refusals(edna({ attachments: [{ ...attachment, ...fields }] }))).toEqual([refusal]);
  });

  it('refuses an unpaired surrogate in text', () => {
    expect(refusals(edna({ text: `hi${LONE_HIGH}` }))).toEqual(['text InvalidUnicode']);
  });

  it('treats invisible-only text as no text: refused alone, dropped beside an attachment', () => {
    expect(refusals(edna({ text: `${ZWSP}\u2060 ` }))).toEqual(['text NotEmpty']);
    expect(parseOutgoingToDevice({ text: ZWSP, attachments: [attachment], clientApplicationDescriptor: descriptor }).text).toBe('');
  });

  it('keeps bidi controls in text', () => {
    expect(parseOutgoingToDevice({ text: `\u2067مرحبا\u2069 ok`, clientApplicationDescriptor: descriptor }).text).toBe(
      '\u2067مرحبا\u2069 ok',
    );
  });

  it('names the refused field in its message', () => {
    expect(() => edna({}, { clientId: `c${LONE_HIGH}` })()).toThrow(
      "'clientApplicationDescriptor.clientId' must be well-formed Unicode (no unpaired surrogate).",
    );
  });
});
