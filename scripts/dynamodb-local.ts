import { spawnSync, type StdioOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { accepts, run, waitForPort, type Running } from './processes.js';

const JAVA_MISSING =
  'DynamoDB Local needs Java 17 or later and `java` was not found: install a JRE (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17).';

/** Amazon's DynamoDB Local, as shipped in the amplify-dynamodb-simulator package. */
function jarPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator', 'DynamoDBLocal.jar');
}

/**
 * Starts DynamoDB Local in memory on `port`. `-sharedDb` gives every access key and region the same
 * database, so the table the scripts create is the one the functions see.
 */
export async function startDynamoDbLocal(port: number, options: { stdio?: StdioOptions } = {}): Promise<Running> {
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).error) throw new Error(JAVA_MISSING);
  if (await accepts(port)) throw new Error(`Port ${port} is already in use; set DYNAMODB_PORT to a free port`);
  const jar = jarPath();
  const running = run(
    'java',
    [`-Djava.library.path=${join(dirname(jar), 'DynamoDBLocal_lib')}`, '-jar', jar, '-inMemory', '-sharedDb', '-port', String(port)],
    {
      stdio: options.stdio ?? 'ignore',
    },
  );
  await waitForPort(port, 'DynamoDB Local', running, 120_000);
  return running;
}
