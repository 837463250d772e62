import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { withDeadline } from './deadline.js';

/** One structured JSON logger per container; level from POWERTOOLS_LOG_LEVEL (default INFO). */
export const logger = new Logger({ serviceName: 'messaging-api' });

/**
 * A Lambda handler whose logs carry the invocation's request id (keys reset between invocations)
 * and whose DynamoDB calls all end before the invocation's deadline (lib/deadline.ts). middy's own
 * early timeout is off: it would answer while the handler's calls still run on, and a frozen
 * sandbox could finish them minutes later.
 */
export const loggedHandler = <Event, Result>() => ({
  handler: (handle: (event: Event, context: Context) => Promise<Result>): MiddyfiedHandler<Event, Result, Error, Context> =>
    middy<Event, Result, Error, Context>({ timeoutEarlyInMillis: 0 })
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .handler((event, context) => withDeadline(context.getRemainingTimeInMillis(), () => handle(event, context))),
});
