import fc from 'fast-check';

/** Cases per route; CI runs at least 500. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 500);

const FIELDS = [
  'body',
  'Body',
  'sessionId',
  'SessionId',
  'endpointId',
  'toAddress',
  'ToAddress',
  'type',
  'accountId',
  'request',
  '__proto__',
  'constructor',
  'text',
  'attachments',
  'clientApplicationDescriptor',
  'applicationDescriptor',
  'channelType',
  'deviceAddress',
  'clientId',
];

const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '\u0000',
    '\u202e',
    '\ud800',
    '\ufeff',
    'A\u0301',
    '%00',
    '../../etc/passwd',
    'SESSION#ses_demo',
    '<![CDATA[x]]>',
    '${jndi:ldap://x}',
    '🙂'.repeat(900),
  ),
  fc.nat({ max: 70_000 }).map((n) => 'x'.repeat(n)),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString,
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(null, true, 0, -1, 1e309, Number.MAX_SAFE_INTEGER + 2, [], {}),
);

/** A JSON object aiming at the DTOs' own fields with hostile values, or any JSON at all. */
const hostileObject = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 20 })), hostileValue, { maxKeys: 6 });

const XML_TRICKS = [
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><SendMessage><Body>&lol2;</Body></SendMessage>',
  '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><SendMessage><Body>&xxe;</Body></SendMessage>',
  '<SendMessage xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.Sessions"><Body><?php echo 1; ?></Body></SendMessage>',
  '<SendMessage>' + '<a>'.repeat(2000) + '</a>'.repeat(2000) + '</SendMessage>',
];

export interface HostileRequest {
  body: string;
  contentType: string;
  extraHeader?: [string, string];
}

/** Whole requests: hostile JSON, broken JSON, deep nesting, XML tricks, odd content types and headers. */
export const hostileRequest: fc.Arbitrary<HostileRequest> = fc.record(
  {
    body: fc.oneof(
      { weight: 4, arbitrary: hostileObject.map((o) => JSON.stringify(o)) },
      { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
      { weight: 1, arbitrary: fc.integer({ min: 10, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)) },
      { weight: 1, arbitrary: fc.integer({ min: 10, max: 5_000 }).map((n) => '{"body":'.repeat(n) + '"x"' + '}'.repeat(n)) },
      { weight: 1, arbitrary: fc.constantFrom(...XML_TRICKS) },
    ),
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/xml',
      'text/xml',
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
    ),
    extraHeader: fc.option(
      fc.tuple(
        fc.constantFrom('idempotency-key', 'accept', 'x-custom', 'authorization'),
        fc.oneof(
          oddString.map((s) => s.replace(/[^\x20-\x7e]/g, '').slice(0, 8000)),
          fc.constant('x'.repeat(8000)),
        ),
      ),
      { nil: undefined },
    ),
  },
  { requiredKeys: ['body', 'contentType'] },
);

/** Hostile event bodies for the queue and the bus: envelopes with hostile parts, or anything. */
export const hostileCommand: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    type: fc.oneof(fc.constantFrom('SendMessage', 'OutgoingToDevice'), oddString),
    accountId: fc.oneof(fc.constantFrom('acct_other', 'acct_nope'), oddString),
    idempotencyKey: fc.option(oddString, { nil: undefined }),
    request: fc.oneof(hostileObject, hostileValue),
  }),
  hostileObject,
  hostileValue,
);
