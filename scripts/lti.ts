/**
 * npm run lti -- add --name N --issuer I --client-id C --auth-url U --token-url U --jwks-url U --deployment D [--deployment D2]
 * npm run lti -- list
 * npm run lti -- remove <id>
 *
 * Registers the LMSs (LTI 1.3 platforms) this server accepts launches from, in the server's own
 * database (DATA_DIR or DB_PATH, read with the server's config loader); a running server sees the
 * change at its next launch. The same checks as the dashboard's API apply.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../server/config';
import { newPlatformId, platformInput } from '../server/lti/ltiApi';
import { PlatformsRepo } from '../server/lti/PlatformsRepo';
import { Store } from '../server/store/Store';

const USAGE = `Usage:
  npm run lti -- add --name <name> --issuer <iss> --client-id <id> --auth-url <url> --token-url <url> --jwks-url <url> --deployment <id> [--deployment <id>…]
  npm run lti -- list
  npm run lti -- remove <id>`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function main(): void {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      'auth-url': { type: 'string' },
      'token-url': { type: 'string' },
      'jwks-url': { type: 'string' },
      deployment: { type: 'string', multiple: true },
    },
  });
  const [command, id] = positionals;
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  const store = Store.open(config.data.dbPath);
  const platforms = new PlatformsRepo(store.db);
  try {
    if (command === 'list') {
      for (const p of platforms.list())
        console.log(
          `${p.id}  ${p.name}  issuer=${p.issuer}  client=${p.clientId}  deployments=${p.deploymentIds.join(',')}`,
        );
    } else if (command === 'add') {
      const input = platformInput.safeParse({
        name: values.name,
        issuer: values.issuer,
        clientId: values['client-id'],
        authUrl: values['auth-url'],
        tokenUrl: values['token-url'],
        jwksUrl: values['jwks-url'],
        deploymentIds: values.deployment ?? [],
      });
      if (!input.success) fail(`Check ${input.error.issues.map((i) => i.path.join('.')).join(', ')}\n${USAGE}`);
      const saved = platforms.save({ ...input.data, id: newPlatformId(), createdAt: Date.now() });
      console.log(`registered ${saved.name} (${saved.id})`);
    } else if (command === 'remove' && id) {
      if (!platforms.remove(id)) fail(`No LMS with id ${id}`);
      console.log(`removed ${id}`);
    } else fail(USAGE);
  } finally {
    store.close();
  }
}

main();
