import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { markPendingInterrupted } from '../db/repositories/messages.js';
import type { Database } from '../db/tables/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
  }
}

export default fp(
  async (app) => {
    const db = openDatabase(app.config.dataDir);
    const applied = await migrateToLatest(db);
    if (applied.length > 0) app.log.info({ migrations: applied }, 'database migrated');
    const interrupted = await markPendingInterrupted(db);
    if (interrupted > 0) app.log.warn({ interrupted }, 'answers cut off by the last shutdown were kept as interrupted');
    app.decorate('db', db);
    app.addHook('onClose', async () => db.destroy());
  },
  { name: 'db', dependencies: ['config'] },
);
