import { describe, expect, it } from 'vitest';
import { channelOf, CHANNELS } from '../../lib/domain/delivery/delivery.js';
import { channelProviders } from '../../lib/runtime/channels.js';
import { ConfigError, loadConfig } from '../../lib/runtime/config.js';

const local = (providers = '') => channelProviders(loadConfig({ DELIVERY_PROVIDERS: providers, IS_OFFLINE: 'true' }));
/** A deployed function: Lambda sets no IS_OFFLINE. */
const deployed = (providers = '') => channelProviders(loadConfig({ DELIVERY_PROVIDERS: providers }));

describe('which provider serves each channel (DELIVERY_PROVIDERS)', () => {
  it('gives every channel the simulated carrier in the local stack when none is named', () => {
    const channels = local();
    expect(CHANNELS.map(channels.providerOf)).toEqual(CHANNELS.map(() => 'simulated'));
    expect(channels.used).toEqual(['simulated']);
    expect(local('SMS=log').used.sort()).toEqual(['log', 'simulated']);
  });

  it('refuses to start a deployed function with a channel that has no provider named, naming the channels', () => {
    expect(() => deployed()).toThrow(ConfigError);
    expect(() => deployed()).toThrow(`DELIVERY_PROVIDERS: no provider for channel ${CHANNELS.join(', ')}`);
    expect(() => deployed('SMS=log')).toThrow(/no provider for channel WHATSAPP, .*WEB/);
    expect(() => deployed('SMS=log')).not.toThrow(/channel SMS\b/);
  });

  it('uses in a deployed stage only what is named, the simulated carrier only when named', () => {
    const named = deployed('SMS=log,WHATSAPP=simulated,*=log');
    expect([named.providerOf('SMS'), named.providerOf('whatsapp'), named.providerOf('VIBER')]).toEqual(['log', 'simulated', 'log']);
    expect(named.used.sort()).toEqual(['log', 'simulated']);
    expect(deployed('*=log').used).toEqual(['log']);
    expect(deployed('*=simulated').used).toEqual(['simulated']);
  });

  it('refuses an unknown provider or channel, naming it', () => {
    expect(() => deployed('SMS=twilio,*=log')).toThrow(
      "DELIVERY_PROVIDERS: 'SMS=twilio': no provider 'twilio' (known: simulated, aws-sms, log)",
    );
    expect(() => local('WHATSAP=log')).toThrow(/'WHATSAP=log': no channel 'WHATSAP' \(known: SMS, WHATSAPP/);
  });

  it("keeps edna's SMS apart: SMS=aws-sms sends the tenants' own lines only, and aws-sms can not be given edna's channels", () => {
    expect(channelOf({ endpointId: 'edna-sms' })).toBe('EDNA_SMS');
    expect(channelOf({ endpointId: 'edna-whatsapp' })).toBe('WHATSAPP');
    expect(channelOf({ endpointId: 'ep_demo' })).toBe('SMS');
    const channels = channelProviders(loadConfig({ DELIVERY_PROVIDERS: 'SMS=aws-sms', IS_OFFLINE: 'true' }));
    expect([channels.providerOf('SMS'), channels.providerOf('EDNA_SMS')]).toEqual(['aws-sms', 'simulated']);
    expect(deployed('SMS=aws-sms,EDNA_SMS=simulated,*=log').providerOf('EDNA_SMS')).toBe('simulated');
    expect(() => deployed('SMS=aws-sms,EDNA_SMS=aws-sms,*=log')).toThrow(
      "DELIVERY_PROVIDERS: channel EDNA_SMS can not go through 'aws-sms', which serves SMS only",
    );
    expect(() => deployed('*=aws-sms')).toThrow(`channel ${CHANNELS.filter((c) => c !== 'SMS').join(', ')} can not go through 'aws-sms'`);
  });
});
