import type Database from 'better-sqlite3';

/** An LMS the instructor registered: where to send people to sign in, get tokens and keys. */
export interface Platform {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  deploymentIds: string[];
  createdAt: number;
}

interface Raw {
  id: string;
  name: string;
  issuer: string;
  client_id: string;
  auth_url: string;
  token_url: string;
  jwks_url: string;
  created_at: number;
}

export class PlatformsRepo {
  constructor(private readonly db: Database.Database) {}

  private toPlatform = (r: Raw): Platform => ({
    id: r.id,
    name: r.name,
    issuer: r.issuer,
    clientId: r.client_id,
    authUrl: r.auth_url,
    tokenUrl: r.token_url,
    jwksUrl: r.jwks_url,
    createdAt: r.created_at,
    deploymentIds: this.db
      .prepare<[string], string>('SELECT deployment_id FROM lti_deployments WHERE platform_id = ? ORDER BY 1')
      .pluck()
      .all(r.id),
  });

  /** Adds the platform, or updates the one with the same issuer and client id (deployments replaced). */
  save(p: Omit<Platform, 'id' | 'createdAt'> & { id: string; createdAt: number }): Platform {
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO lti_platforms (id, name, issuer, client_id, auth_url, token_url, jwks_url, created_at)
             VALUES (@id, @name, @issuer, @clientId, @authUrl, @tokenUrl, @jwksUrl, @createdAt)
             ON CONFLICT (issuer, client_id) DO UPDATE SET name = excluded.name, auth_url = excluded.auth_url,
               token_url = excluded.token_url, jwks_url = excluded.jwks_url`,
          )
          .run(p);
        const id = this.db
          .prepare<[string, string], string>('SELECT id FROM lti_platforms WHERE issuer = ? AND client_id = ?')
          .pluck()
          .get(p.issuer, p.clientId) as string;
        this.db.prepare('DELETE FROM lti_deployments WHERE platform_id = ?').run(id);
        const add = this.db.prepare('INSERT INTO lti_deployments (platform_id, deployment_id) VALUES (?, ?)');
        for (const deployment of new Set(p.deploymentIds)) add.run(id, deployment);
      })
      .immediate();
    return this.byIssuer(p.issuer, p.clientId) as Platform;
  }

  list(): Platform[] {
    return this.db.prepare<[], Raw>('SELECT * FROM lti_platforms ORDER BY created_at').all().map(this.toPlatform);
  }

  get(id: string): Platform | undefined {
    const raw = this.db.prepare<[string], Raw>('SELECT * FROM lti_platforms WHERE id = ?').get(id);
    return raw && this.toPlatform(raw);
  }

  /** The platform of a login: by issuer, and by client id when the LMS names it. */
  byIssuer(issuer: string, clientId?: string): Platform | undefined {
    const rows = this.db
      .prepare<[string], Raw>('SELECT * FROM lti_platforms WHERE issuer = ?')
      .all(issuer)
      .filter((r) => clientId === undefined || r.client_id === clientId);
    return rows.length === 1 && rows[0] ? this.toPlatform(rows[0]) : undefined;
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM lti_platforms WHERE id = ?').run(id).changes > 0;
  }
}
