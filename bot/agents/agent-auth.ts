/**
 * Agent authentication for the tab's API. With an Entra app configured: the Teams SSO token
 * (signature against the tenant's published keys, issuer, audience, tenant, then the object id
 * mapped to a configured user; user tokens with the `access_as_user` scope only). In dev mode:
 * HS256 tokens issued by `POST /api/dev/token`, signed with a secret kept in the store so
 * restarts keep sessions. Neither: nobody signs in.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config';
import { unauthorized } from '../errors';
import type { TenantRegistry } from '../tenants/registry';

export interface AgentPrincipal {
  tenantId: string;
  userId: string;
  upn: string;
}

const DEV_ISSUER = 'stratus-dev';
const DEV_AUDIENCE = 'stratus-agent-api';
/** The scope the tab's SSO token carries (the Entra app exposes it as `api://…/access_as_user`). */
const SCOPE = 'access_as_user';
/** Key sets kept, one per configured Entra tenant: a bound in case tenants come and go at run time. */
const MAX_KEY_SETS = 1000;

export class AgentAuth {
  private readonly devKey: Uint8Array;
  private readonly jwks = new Map<string, JWTVerifyGetKey>();

  constructor(
    private readonly config: Config,
    private readonly tenants: TenantRegistry,
    devSecret: string,
  ) {
    this.devKey = new TextEncoder().encode(devSecret);
  }

  get devMode(): boolean {
    return this.config.devMode;
  }

  /** Dev mode only: a token for a configured user, valid 12 hours. */
  async issueDevToken(upn: string): Promise<string | undefined> {
    const found = this.tenants.upn(upn);
    if (!found) return undefined;
    return new SignJWT({ tid: found.tenant.id, upn: found.user.upn })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(found.user.id)
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(this.devKey);
  }

  /** Verifies a bearer token and maps it to a configured user; throws 401 otherwise. */
  async verify(authorization: string | undefined): Promise<AgentPrincipal> {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m?.[1]) throw unauthorized();
    const token = m[1];
    if (this.config.entra) return this.verifyEntra(token);
    // Dev tokens are worth nothing outside dev mode, whoever signed them.
    if (this.config.devMode) return this.verifyDev(token);
    throw unauthorized('Sign-in is not configured on this server (no Entra app, dev mode off).');
  }

  private async verifyDev(token: string): Promise<AgentPrincipal> {
    try {
      const { payload } = await jwtVerify(token, this.devKey, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: ['HS256'] });
      const tenantId = String(payload.tid ?? '');
      const userId = String(payload.sub ?? '');
      const user = this.tenants.user(tenantId, userId);
      if (!user) throw unauthorized('This user is no longer configured.');
      return { tenantId, userId, upn: user.upn };
    } catch (e) {
      if (e instanceof Error && 'status' in e) throw e;
      throw unauthorized('The token is invalid or expired: sign in again.');
    }
  }

  private async verifyEntra(token: string): Promise<AgentPrincipal> {
    const entra = this.config.entra;
    if (!entra) throw unauthorized();
    let tid: string;
    try {
      tid = String(decodeJwt(token).tid ?? '');
    } catch {
      throw unauthorized('The token is not a JWT.');
    }
    // Only tenants we serve: keys are fetched for configured Entra tenants only, and everything
    // after this line uses the configured id, never the unverified one as sent.
    const tenant = tid ? this.tenants.entraTenant(tid) : undefined;
    if (!tenant?.entraTenantId) throw unauthorized('This Microsoft 365 tenant is not configured for Stratus.');
    const entraTenantId = tenant.entraTenantId.toLowerCase();
    const keys = this.keysFor(entra.authority, entraTenantId);
    try {
      const { payload } = await jwtVerify(token, keys, {
        audience: entra.audiences,
        issuer: [`${entra.authority}/${entraTenantId}/v2.0`, `https://sts.windows.net/${entraTenantId}/`],
        algorithms: ['RS256'],
        clockTolerance: 60,
      });
      if (String(payload.tid).toLowerCase() !== entraTenantId) throw new Error('tenant mismatch');
      // App-only tokens (client credentials) carry roles and no scope: a service, not an agent.
      const scp = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
      if (payload.idtyp === 'app' || (scp.length === 0 && payload.roles !== undefined))
        throw unauthorized('App-only tokens are not accepted: sign in as a user in Teams.');
      if (!scp.includes(SCOPE)) throw unauthorized(`The token lacks the "${SCOPE}" scope: sign in again through the Stratus tab.`);
      const found = this.tenants.entraUser(entraTenantId, String(payload.oid ?? ''));
      if (!found) throw unauthorized('Your account is not a Stratus agent in this tenant.');
      return { tenantId: found.tenant.id, userId: found.user.id, upn: found.user.upn };
    } catch (e) {
      if (e instanceof Error && 'status' in e) throw e;
      throw unauthorized('The Teams sign-in token is invalid or expired.');
    }
  }

  /** The published keys of a configured Entra tenant, cached per tenant (oldest dropped past the bound). */
  private keysFor(authority: string, entraTenantId: string): JWTVerifyGetKey {
    let keys = this.jwks.get(entraTenantId);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(`${authority}/${entraTenantId}/discovery/v2.0/keys`), { cooldownDuration: 30_000 });
      if (this.jwks.size >= MAX_KEY_SETS) this.jwks.delete(this.jwks.keys().next().value as string);
      this.jwks.set(entraTenantId, keys);
    }
    return keys;
  }
}
