import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { loadConfig } from './config/app-config.js';
import { ConfigurationError } from './config/environment.js';
import { describeDatabase } from './config/database-url.js';
import { bindShutdownDeadline } from './health/shutdown-deadline.js';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const logger = new Logger('orgsync');
  bindShutdownDeadline(app, config.lifecycle.shutdownGraceSeconds, logger);
  await app.listen(config.http.port, config.http.host);
  logger.log(
    `Listening on ${config.security.tls ? 'https' : 'http'}://${config.http.host}:${config.http.port} with ${describeDatabase(config.database)}; issuer ${config.oauth.issuer}; role ${config.role}`,
  );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    new Logger('orgsync').error(error instanceof Error ? error.message : String(error));
  }
  process.exit(1);
});
