import { describe, expect, it } from 'vitest';
import { parseOutgoingToDevice, storedText } from '../../lib/domain/edna/outgoing-to-device.js';
import { sendToDevice } from '../../lib/domain/edna/send-to-device.js';
import { springField } from '../../lib/wire/edna/errors.js';
import { memoryDeps } from '../support/memory.js';

function ednaDeps() {
  const { ednaDeps: deps, messages, ednaClients: clients } = memoryDeps();
  return { deps, messages, clients };
}

const integrator = { accountId: 'acct_1', roles: ['INTEGRATOR' as const], agentId: 42 };

describe('parseOutgoingToDevice', () => {
  it('accepts either descriptor spelling and trims text', () => {
    const a = parseOutgoingToDevice({
      text: ' hi ',
      clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: '89000000000' },
    });
    const b = parseOutgoingToDevice({ text: 'hi', applicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: '89000000000' } });
    expect(a.descriptor).toEqual(b.descriptor);
    expect(a.text).toBe('hi');
  });

  it.each([
    [
      { text: 'x', clientApplicationDescriptor: { channelType: 'SMS', deviceAddress: '12' } },
      'clientApplicationDescriptor.deviceAddress',
      'InvalidDeviceAddress',
    ],
    [
      { text: 'x', clientApplicationDescriptor: { channelType: 'sms', deviceAddress: '12345678' } },
      'clientApplicationDescriptor.channelType',
      'InvalidValue',
    ],
    [
      {
        attachments: [{ url: 'https://x/y', name: 'y', mimeType: 'nope' }],
        clientApplicationDescriptor: { channelType: 'WEB', deviceAddress: 'w1' },
      },
      'attachments.0.mimeType',
      'InvalidFormat',
    ],
    [{ text: 'x'.repeat(4097), clientApplicationDescriptor: { channelType: 'WEB', deviceAddress: 'w1' } }, 'text', 'MaximumLength'],
  ])('refuses %j naming %s', (input, field, code) => {
    expect(() => parseOutgoingToDevice(input)).toThrow(
      expect.objectContaining({ fields: expect.arrayContaining([expect.objectContaining({ field, code })]) }),
    );
  });

  it('names attachment-only messages by their attachments', () => {
    const send = parseOutgoingToDevice({
      attachments: [{ url: 'https://x/a.png', name: 'a.png', mimeType: 'image/png' }],
      applicationDescriptor: { channelType: 'WEB', deviceAddress: 'w1' },
    });
    expect(storedText(send)).toBe('[attachment: a.png]');
  });

  it('names fields the Spring way', () => {
    expect(springField('attachments.0.url')).toBe('attachments[0].url');
    expect(springField('clientApplicationDescriptor.deviceAddress')).toBe('clientApplicationDescriptor.deviceAddress');
  });
});

describe('sendToDevice', () => {
  it('reuses the client and thread of a device and of an external client id, with new message ids', async () => {
    const { deps, messages } = ednaDeps();
    const device = parseOutgoingToDevice({
      text: 'a',
      clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: '89000000000' },
    });
    const first = await sendToDevice(deps, integrator, device);
    const second = await sendToDevice(deps, integrator, device);
    expect(second).toEqual({ ...first, id: second.id });
    expect(second.id).toBeGreaterThan(first.id);
    expect(first).toMatchObject({ agentId: 42, clientExternalId: null });

    const external = parseOutgoingToDevice({
      text: 'b',
      clientApplicationDescriptor: { channelType: 'MOBILE', clientId: 'ext-1', deviceAddress: 'dev1' },
    });
    const viaOtherDevice = parseOutgoingToDevice({
      text: 'c',
      clientApplicationDescriptor: { channelType: 'MOBILE', clientId: 'ext-1', deviceAddress: 'dev2' },
    });
    const e1 = await sendToDevice(deps, integrator, external);
    const e2 = await sendToDevice(deps, integrator, viaOtherDevice);
    expect(e2.clientId).toBe(e1.clientId);
    expect(e1.clientExternalId).toBe('ext-1');
    expect(messages.map((m) => m.otherAddress)).toEqual(['89000000000', '89000000000', 'dev1', 'dev2']);
  });

  it('identifies a client by its unauthorised id when no authorised one is given', async () => {
    const { deps } = ednaDeps();
    const on = (deviceAddress: string) =>
      parseOutgoingToDevice({
        text: 'u',
        clientApplicationDescriptor: { channelType: 'WEB', unauthorizedClientId: 'visitor-7', deviceAddress },
      });
    const first = await sendToDevice(deps, integrator, on('browser-1'));
    const second = await sendToDevice(deps, integrator, on('browser-2'));
    expect(second.clientId).toBe(first.clientId);
    expect(second.clientExternalId).toBeNull();
  });

  it('keeps the clients of two accounts apart', async () => {
    const { deps } = ednaDeps();
    const send = parseOutgoingToDevice({
      text: 'a',
      clientApplicationDescriptor: { channelType: 'WHATSAPP', deviceAddress: '89000000000' },
    });
    const mine = await sendToDevice(deps, integrator, send);
    const theirs = await sendToDevice(deps, { ...integrator, accountId: 'acct_2' }, send);
    expect(theirs.clientId).not.toBe(mine.clientId);
    expect(theirs.threadId).not.toBe(mine.threadId);
  });
});
