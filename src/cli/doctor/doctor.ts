import { ConfigurationError } from '../../config/environment.js';
import type { AppConfig } from '../../config/app-config.js';
import { type CheckResult, fail, ok } from './doctor-check.js';
import { checkDatabase } from './database-checks.js';
import { checkBootstrapAdmin, checkDataDirectory, checkIssuer, checkSecretsKey, findRootKey } from './installation-checks.js';

/**
 * Every check of `orgsync doctor`, in the order an operator fixes things:
 * configuration first (nothing else can be read without it), then files, then
 * the database. Nothing here writes anything.
 */
export async function runDoctor(loadConfig: () => AppConfig): Promise<CheckResult[]> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    // "Invalid configuration:\n  - SECRETS_KEY must be ...": one detail naming every bad variable.
    const problems = error.message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^\s*-\s*/, ''));
    return [fail('configuration', problems.length > 0 ? problems.join('; ') : error.message)];
  }
  const rootKey = await findRootKey(config);
  const dataDirectory = await checkDataDirectory(config);
  return [
    ok('configuration', `valid (NODE_ENV=${config.environment})`),
    checkIssuer(config),
    checkSecretsKey(config, rootKey),
    ...(dataDirectory ? [dataDirectory] : []),
    ...(await checkDatabase(config, rootKey)),
    checkBootstrapAdmin(config),
  ];
}
