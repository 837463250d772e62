import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../lib/domain/delivery/delivery.js';
import { configured, prod, refusal, resources, type Template } from './template.js';

const { template, artifacts } = prod();
const { template: configuredTemplate, artifacts: configuredArtifacts } = configured();
const routeKeys = (t: Template = template) => resources(t, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);

describe('serverless package --stage prod: HTTP routes', () => {
  it('routes no GET of /messages to a send, and no other verb to the list', () => {
    const routes = routeKeys();
    expect(routes.filter((r) => /^(ANY|\*) \/messages/.test(r))).toEqual([]);
    expect(routes.filter((r) => r.startsWith('GET /messages')).sort()).toEqual([
      'GET /messages',
      'GET /messages.json',
      'GET /messages.xml',
    ]);
  });

  it('declares every HTTP route', () => {
    expect(routeKeys()).toEqual(
      expect.arrayContaining([
        'POST /sessions/{sessionId}/messages',
        'POST /sessions/{sessionId}/messages.json',
        'POST /sessions/{sessionId}/messages.xml',
        ...['POST', 'PUT', 'PATCH', 'DELETE'].flatMap((verb) => [`${verb} /messages`, `${verb} /messages.json`, `${verb} /messages.xml`]),
        'GET /messages',
        'GET /messages.json',
        'GET /messages.xml',
        'ANY /api/ListMessages',
        'ANY /json/reply/ListMessages',
        'ANY /xml/reply/ListMessages',
        'ANY /api/SendMessage',
        'ANY /json/reply/SendMessage',
        'ANY /xml/reply/SendMessage',
        'GET /sessions/{sessionId}/messages',
        'GET /sessions/{sessionId}/messages.xml',
        'POST /api/v1/messages/outgoing-to-device',
      ]),
    );
  });

  it('serves the status route and bundles the delivery and reply functions alone', () => {
    expect(routeKeys()).toContain('GET /sessions/{sessionId}/messages/{messageId}/status');
    expect(artifacts).toEqual(expect.arrayContaining(['dispatch.zip', 'delivery-status.zip', 'message-status.zip', 'inbound.zip']));
  });
});

describe('serverless package: nothing simulated where a stage does not name it', () => {
  it('packages no /dev/ route and no simulated carrier function in prod, whose providers name no simulated carrier', () => {
    expect(routeKeys().filter((r) => r.includes(' /dev/'))).toEqual([]);
    expect(artifacts.filter((a) => a.startsWith('carrier-'))).toEqual([]);
    expect(resources(template, 'AWS::Lambda::Function').map(([id]) => id)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^Carrier/)]),
    );
  });

  it('packages the simulated carrier, its routes and both its functions where the stage names it', () => {
    expect(routeKeys(configuredTemplate)).toEqual(expect.arrayContaining(['GET /dev/carrier/outbox', 'POST /dev/carrier/inbound']));
    expect(configuredArtifacts).toEqual(expect.arrayContaining(['carrier-outbox.zip', 'carrier-inbound.zip']));
  });

  it('refuses to package a stage with the default params, which name no provider: the message names every channel', () => {
    expect(refusal('prod')).toContain(
      `Stage 'prod': Invalid configuration: DELIVERY_PROVIDERS: no provider for channel ${CHANNELS.join(', ')}`,
    );
  }, 120_000);
});
