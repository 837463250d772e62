/**
 * `npx tsx scripts/backfill-message-indexes.ts`: after the ListMessages indexes are deployed on a table
 * that already holds messages, gives those messages their index attributes (docs/table-design.md).
 * Uses TABLE_NAME, AWS_REGION and the usual AWS credentials; DYNAMODB_ENDPOINT for DynamoDB Local.
 * SEGMENT and SEGMENTS split the work between parallel runs.
 */
import { openContainer } from '../lib/runtime/index.js';
import { backfillMessageIndexes } from '../lib/store/message-index-backfill.js';

const { table } = openContainer();
const segments = process.env.SEGMENTS ? Number(process.env.SEGMENTS) : undefined;
const updated = await backfillMessageIndexes(table, segments ? { segment: Number(process.env.SEGMENT ?? 0), segments } : {});
console.log(`${updated} message(s) given their index attributes in ${table.name}`);
