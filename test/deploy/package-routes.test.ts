import { describe, expect, it } from 'vitest';
import { prod, resources } from './template.js';

const { template, artifacts } = prod();
const routeKeys = () => resources(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);

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

  it('serves the status route and the simulated outbox, and bundles the four functions alone', () => {
    expect(routeKeys()).toEqual(
      expect.arrayContaining(['GET /sessions/{sessionId}/messages/{messageId}/status', 'GET /dev/carrier/outbox']),
    );
    expect(artifacts).toEqual(expect.arrayContaining(['dispatch.zip', 'delivery-status.zip', 'message-status.zip', 'carrier-outbox.zip']));
  });

  it('serves the simulated inbound route and bundles both functions alone', () => {
    expect(routeKeys()).toContain('POST /dev/carrier/inbound');
    expect(artifacts).toEqual(expect.arrayContaining(['inbound.zip', 'carrier-inbound.zip']));
  });
});
