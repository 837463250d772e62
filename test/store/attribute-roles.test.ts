import { readFileSync } from 'node:fs';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { newSubscription } from '../../lib/domain/callbacks/subscriptions.js';
import { listSubscriptionTargets, putSubscription } from '../../lib/store/callbacks.js';
import { clearUnread } from '../../lib/store/messages.js';
import type { Table } from '../../lib/store/table.js';
import { table } from '../support/stack.js';

/** The condition of a function's one statement allowing `action`, as serverless.yml writes it. */
function conditionOf(fn: string, action: string): Record<string, Record<string, unknown>> {
  const config = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'));
  const statements = config.functions[fn].iamRoleStatements as { Action: string[]; Condition: Record<string, Record<string, unknown>> }[];
  return statements.find((s) => s.Action.includes(action))!.Condition;
}
const allowedAttributes = (fn: string, action: string) => conditionOf(fn, action)['ForAllValues:StringEquals']!['dynamodb:Attributes'];

/** The table, recording every request's input. */
function recorded(): { table: Table; inputs: Record<string, any>[] } {
  const inputs: Record<string, any>[] = [];
  const send = ((command: { input: Record<string, unknown> }, options?: unknown) => {
    inputs.push(command.input);
    return table.client.send(command as never, options as never);
  }) as Table['client']['send'];
  return { table: { ...table, client: { ...table.client, send } as Table['client'] }, inputs };
}

/** The attribute names an expression uses (no placeholders here: the expressions name attributes directly). */
const names = (...expressions: (string | undefined)[]) =>
  expressions
    .flatMap((e) => (e ?? '').replace(/:\w+/g, '').match(/[A-Za-z_]\w*/g) ?? [])
    .filter((w) => !/^(SET|REMOVE|AND|OR|NOT|begins_with|contains|size|attribute_\w+)$/.test(w));

describe('what the code asks of DynamoDB fits the roles narrowed by attribute (dynamodb:Attributes)', () => {
  it("callback-events reads subscriptions' targets only, through a projection its role allows, never a whole item", async () => {
    const accountId = `acct_${ulid()}`;
    const { subscription } = newSubscription(
      { subscriptionId: `cb_${ulid()}`, accountId, url: 'https://hooks.example.com/in', events: ['message.received'] },
      new Date(),
    );
    await putSubscription(table, subscription, true);
    const { table: spied, inputs } = recorded();
    expect(await listSubscriptionTargets(spied, accountId)).toEqual([
      { subscriptionId: subscription.subscriptionId, accountId, events: ['message.received'] },
    ]);
    const [query] = inputs;
    expect(query!.Select).toBe(conditionOf('callback-events', 'dynamodb:Query').StringEquals!['dynamodb:Select']);
    const asked = names(query!.ProjectionExpression, query!.KeyConditionExpression);
    expect(asked).not.toEqual(expect.arrayContaining(['url']));
    expect(allowedAttributes('callback-events', 'dynamodb:Query')).toEqual(expect.arrayContaining(asked));
  });

  it("mark-read's update names only the attributes its role allows, and asks for nothing back it may not have", async () => {
    const { table: spied, inputs } = recorded();
    await clearUnread(spied, 'ses_demo', `msg_${ulid()}`).catch(() => undefined);
    const [update] = inputs;
    const asked = [...Object.keys(update!.Key), ...names(update!.UpdateExpression, update!.ConditionExpression)];
    expect(allowedAttributes('mark-read', 'dynamodb:UpdateItem')).toEqual(expect.arrayContaining(asked));
    const returns = conditionOf('mark-read', 'dynamodb:UpdateItem').StringEqualsIfExists!['dynamodb:ReturnValues'];
    if (update!.ReturnValues) expect(returns).toContain(update!.ReturnValues);
  });
});
