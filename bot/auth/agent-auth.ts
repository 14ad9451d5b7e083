/**
 * Agent authentication for the tab's API. With an Entra app configured: the Teams SSO token
 * (signature against the tenant's published keys, issuer, audience, tenant, then the object id
 * mapped to a configured user). Without one (dev mode): HS256 tokens issued by
 * `POST /api/dev/token`, signed with a secret kept in the store so restarts keep sessions.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config';
import { unauthorized } from '../http/errors';
import type { TenantRegistry } from '../tenants/registry';

export interface AgentPrincipal {
  tenantId: string;
  userId: string;
  upn: string;
}

const DEV_ISSUER = 'stratus-dev';
const DEV_AUDIENCE = 'stratus-agent-api';

export class AgentAuth {
  private readonly devKey: Uint8Array;
  private readonly jwks = new Map<string, JWTVerifyGetKey>();

  constructor(private readonly config: Config, private readonly tenants: TenantRegistry, devSecret: string) {
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
    return this.config.entra ? this.verifyEntra(token) : this.verifyDev(token);
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
    // Only tenants we serve: keys are fetched for configured Entra tenants only.
    const tenant = tid ? this.tenants.entraTenant(tid) : undefined;
    if (!tenant) throw unauthorized('This Microsoft 365 tenant is not configured for Stratus.');
    let keys = this.jwks.get(tid);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(`${entra.authority}/${tid}/discovery/v2.0/keys`), { cooldownDuration: 30_000 });
      this.jwks.set(tid, keys);
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        audience: entra.audiences,
        issuer: [`${entra.authority}/${tid}/v2.0`, `https://sts.windows.net/${tid}/`],
        algorithms: ['RS256'],
        clockTolerance: 60,
      });
      if (String(payload.tid).toLowerCase() !== tid.toLowerCase()) throw new Error('tenant mismatch');
      const found = this.tenants.entraUser(tid, String(payload.oid ?? ''));
      if (!found) throw unauthorized('Your account is not a Stratus agent in this tenant.');
      return { tenantId: found.tenant.id, userId: found.user.id, upn: found.user.upn };
    } catch (e) {
      if (e instanceof Error && 'status' in e) throw e;
      throw unauthorized('The Teams sign-in token is invalid or expired.');
    }
  }
}
