import { required } from '../../runtime/config.js';
import type { ProviderModule } from '../registry.js';
import { awsSmsInboundMessage } from './inbound.js';
import { awsSmsStatusReport } from './reports.js';
import { awsSmsProvider } from './send.js';

/** AWS End User Messaging SMS: sends, status events from the stage's topic, two-way messages from the inbound topic. */
export const awsSms: ProviderModule = {
  create: ({ config }) =>
    awsSmsProvider({ configurationSetName: required(config, 'SMS_CONFIGURATION_SET'), timeToLiveSeconds: config.SMS_TIME_TO_LIVE_SECONDS }),
  statusReport: awsSmsStatusReport,
  inbound: awsSmsInboundMessage,
  requires: ['SMS_CONFIGURATION_SET'],
};
