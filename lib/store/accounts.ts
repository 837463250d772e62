import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';
import { call, putEntity, type Table } from './table.js';

export interface Account {
  accountId: string;
  name: string;
}

/** A disabled account (provisioning) counts as absent: events naming it are refused like a missing one's. */
export async function accountExists(table: Table, accountId: string): Promise<boolean> {
  const { Item } = await call((options) =>
    table.client.send(
      new GetCommand({
        TableName: table.name,
        Key: keys.account(accountId),
        ProjectionExpression: 'pk, #status',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
      options,
    ),
  );
  return Item !== undefined && Item.status !== 'disabled';
}

export const putAccount = (table: Table, account: Account): Promise<void> =>
  putEntity(table, keys.account(account.accountId), 'Account', account);
