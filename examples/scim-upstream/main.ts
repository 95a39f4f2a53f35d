import { parseArgs } from 'node:util';
import { startScimUpstream } from './scim-upstream.js';

const USAGE = `Usage: node dist/examples/scim-upstream/main.js [options]

Starts the example SCIM 2.0 upstream with a seeded directory and prints its URLs and credentials.

  --host <address>           interface to listen on (default 127.0.0.1)
  --port <n>                 port (default 0: a free one)
  --users <n>                generated users (default 250)
  --groups <n>               generated groups (default 10)
  --members-per-group <n>    members of each group (default 25)
  --client-id <id>           client ID at the token endpoint (default orgsync-sync)
  --client-secret <secret>   its secret (default: random)
  --cursor                   offer RFC 9865 cursor paging besides index paging
  --list-delay-ms <n>        wait this long before answering each listing request (default 0)
  --seed <seed>              seed of the generated data (default orgsync)
  --help                     this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      users: { type: 'string', default: '250' },
      groups: { type: 'string', default: '10' },
      'members-per-group': { type: 'string', default: '25' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      cursor: { type: 'boolean', default: false },
      'list-delay-ms': { type: 'string', default: '0' },
      seed: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const upstream = await startScimUpstream({
    host: values.host,
    port: wholeNumber('port', values.port),
    users: wholeNumber('users', values.users),
    groups: wholeNumber('groups', values.groups),
    membersPerGroup: wholeNumber('members-per-group', values['members-per-group']),
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    cursorPaging: values.cursor,
    listDelayMs: wholeNumber('list-delay-ms', values['list-delay-ms']),
    seed: values.seed,
  });
  process.stdout.write(
    [
      `SCIM upstream with ${upstream.directory.userCount} users and ${upstream.directory.groupCount} groups`,
      `  base URL       ${upstream.baseUrl}`,
      `  token URL      ${upstream.tokenUrl}`,
      `  client ID      ${upstream.clientId}`,
      `  client secret  ${upstream.clientSecret}`,
      '',
      'Try it:',
      `  TOKEN=$(curl -s -u '${upstream.clientId}:${upstream.clientSecret}' -d grant_type=client_credentials ${upstream.tokenUrl} | jq -r .access_token)`,
      `  curl -s -H "Authorization: Bearer $TOKEN" '${upstream.baseUrl}/Users?count=2' | jq`,
      '',
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  const stop = (): void => void upstream.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function wholeNumber(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a whole number, not "${value}".`);
  return Number(value);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
