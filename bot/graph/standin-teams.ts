/**
 * The Graph stand-in's Teams apps: the app catalog (`/appCatalogs/teamsApps`), a user's installed
 * apps (install, list with a filter, one installation's bot chat) and activity-feed notifications,
 * answered as Graph answers them, with failures a test sets per user.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DirectoryUser } from '@stratus/shared/contract/admin';
import { authorized, defaultFailure, failedAsTold, graphBody, send, type GraphStandInFailure } from './standin-answers';

/** What these routes read of the stand-in's state (all read on every request, so a test may change it). */
export interface StandInTeamsState {
  users: DirectoryUser[];
  failNext?: GraphStandInFailure[];
  catalog?: StandInCatalogApp[];
  installedApps?: Map<string, StandInInstallation[]>;
  userFailures?: Map<string, GraphStandInFailure & { times?: number }>;
}

/** An app of the stand-in's Teams app catalog. */
export interface StandInCatalogApp {
  id: string;
  externalId?: string;
  displayName: string;
  distributionMethod?: 'organization' | 'store' | 'sideloaded';
}

/** One app installed for a user, with its bot chat. */
export interface StandInInstallation {
  id: string;
  teamsAppId: string;
  chatId: string;
}

/** The stand-in's catalog app for tests: an org app whose manifest id is `externalId`. */
export const STANDIN_CATALOG_APP: StandInCatalogApp = {
  id: '0d6b1f3e-6a2c-4c55-9b7e-1f0c0a7e5b21',
  externalId: '6b0e2c4d-5b7a-4f0e-9d2a-3c1b8e7f0a11',
  displayName: 'Stratus',
  distributionMethod: 'organization',
};

/** Installs a catalog app for a user as Teams would (tests: "already installed"); answers the installation. */
export function installForUser(map: Map<string, StandInInstallation[]>, objectId: string, teamsAppId: string): StandInInstallation {
  const key = objectId.toLowerCase();
  const inst: StandInInstallation = {
    id: Buffer.from(`${key}##${teamsAppId}`).toString('base64'),
    teamsAppId,
    chatId: `19:${key}_${teamsAppId}@unq.gbl.spaces`,
  };
  map.set(key, [...(map.get(key) ?? []), inst]);
  return inst;
}

/** GET /v1.0/appCatalogs/teamsApps, with `$filter=externalId eq '…'` or `id eq '…'` (the forms Graph documents). */
export function listCatalog(req: IncomingMessage, res: ServerResponse, q: URLSearchParams, opts: StandInTeamsState): void {
  if (failedAsTold(res, opts.failNext) || !authorized(req, res)) return;
  let apps = opts.catalog ?? [];
  const filter = q.get('$filter');
  if (filter !== null) {
    const m = /^(externalId|id) eq '((?:[^']|'')*)'$/.exec(filter.trim());
    if (!m) return send(res, 400, graphBody('BadRequest', `Invalid filter clause: '${filter.slice(0, 80)}'.`));
    const value = m[2]!.replace(/''/g, "'");
    apps = apps.filter((a) => (m[1] === 'id' ? a.id : a.externalId) === value);
  }
  const value = apps.map((a) => ({
    id: a.id,
    externalId: a.externalId ?? null,
    displayName: a.displayName,
    distributionMethod: a.distributionMethod ?? 'organization',
  }));
  send(res, 200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#appCatalogs/teamsApps', value });
}

export interface TeamworkCall {
  userId: string;
  what: 'installedApps' | 'sendActivityNotification';
  installationId?: string;
  chat: boolean;
  query: URLSearchParams;
  body: unknown;
}

const BIND = /^https:\/\/graph\.microsoft\.com\/(?:v1\.0|beta)\/appCatalogs\/teamsApps\/([^/?#]+)$/;

/**
 * A user's `/teamwork/installedApps` (install, list with `$expand=teamsApp` and a `teamsApp/id` or
 * `teamsApp/externalId` filter, one installation's chat) and `/teamwork/sendActivityNotification`.
 */
export function userTeamwork(req: IncomingMessage, res: ServerResponse, opts: StandInTeamsState, c: TeamworkCall): void {
  if (failedAsTold(res, opts.failNext) || !authorized(req, res)) return;
  const key = c.userId.toLowerCase();
  const fail = opts.userFailures?.get(key);
  if (fail) {
    if (fail.times !== undefined && --fail.times <= 0) opts.userFailures?.delete(key);
    send(
      res,
      fail.status,
      fail.body ?? defaultFailure(fail.status),
      fail.retryAfter !== undefined ? { 'retry-after': String(fail.retryAfter) } : {},
    );
    return;
  }
  if (!opts.users.some((u) => u.id.toLowerCase() === key))
    return send(
      res,
      404,
      graphBody(
        'Request_ResourceNotFound',
        `Resource '${c.userId.slice(0, 80)}' does not exist or one of its queried reference-property objects are not present.`,
      ),
    );
  const installed = opts.installedApps ?? new Map<string, StandInInstallation[]>();
  const mine = installed.get(key) ?? [];
  if (c.what === 'sendActivityNotification') {
    if (req.method !== 'POST') return send(res, 405, graphBody('BadRequest', 'Use POST.'));
    const b = c.body as
      | { topic?: { source?: unknown; value?: unknown; webUrl?: unknown }; activityType?: unknown; previewText?: { content?: unknown } }
      | undefined;
    if (
      !b ||
      typeof b.activityType !== 'string' ||
      typeof b.previewText?.content !== 'string' ||
      !b.topic ||
      typeof b.topic.source !== 'string'
    )
      return send(res, 400, graphBody('BadRequest', 'The notification needs topic, activityType and previewText.'));
    if (b.topic.source === 'text' && (typeof b.topic.value !== 'string' || typeof b.topic.webUrl !== 'string'))
      return send(res, 400, graphBody('BadRequest', "A topic of source 'text' needs value and webUrl."));
    if (mine.length === 0) return send(res, 403, graphBody('Forbidden', 'The app is not installed for the recipient.'));
    res.writeHead(204);
    res.end();
    return;
  }
  if (c.installationId !== undefined) {
    const inst = mine.find((i) => i.id === c.installationId);
    if (!inst) return send(res, 404, graphBody('NotFound', 'The installation does not exist.'));
    if (!c.chat || req.method !== 'GET') return send(res, 200, { id: inst.id });
    return send(res, 200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#chats/$entity',
      id: inst.chatId,
      chatType: 'oneOnOne',
    });
  }
  if (req.method === 'POST') {
    const bind = (c.body as Record<string, unknown> | undefined)?.['teamsApp@odata.bind'];
    const appId = typeof bind === 'string' ? BIND.exec(bind)?.[1] : undefined;
    if (!appId) return send(res, 400, graphBody('BadRequest', "The body must bind 'teamsApp@odata.bind' to a catalog app."));
    if (!(opts.catalog ?? []).some((a) => a.id === appId))
      return send(res, 404, graphBody('NotFound', `The app '${appId.slice(0, 80)}' is not in the catalog.`));
    if (mine.some((i) => i.teamsAppId === appId)) return send(res, 409, graphBody('Conflict', 'App is already installed.'));
    installForUser(installed, key, appId);
    res.writeHead(201);
    res.end();
    return;
  }
  if (req.method !== 'GET') return send(res, 405, graphBody('BadRequest', 'Use GET or POST.'));
  let list = mine;
  const filter = c.query.get('$filter');
  if (filter !== null) {
    const m = /^teamsApp\/(id|externalId) eq '((?:[^']|'')*)'$/.exec(filter.trim());
    if (!m) return send(res, 400, graphBody('BadRequest', `Invalid filter clause: '${filter.slice(0, 80)}'.`));
    if (c.query.get('$expand') !== 'teamsApp' && c.query.get('$expand') !== 'teamsAppDefinition')
      return send(res, 400, graphBody('BadRequest', 'Filtering on teamsApp needs $expand=teamsApp.'));
    const value = m[2]!.replace(/''/g, "'");
    list = list.filter((i) => (m[1] === 'id' ? i.teamsAppId : opts.catalog?.find((a) => a.id === i.teamsAppId)?.externalId) === value);
  }
  const expand = c.query.get('$expand') === 'teamsApp';
  const value = list.map((i) => {
    const app = opts.catalog?.find((a) => a.id === i.teamsAppId);
    return {
      id: i.id,
      ...(expand ? { teamsApp: { id: i.teamsAppId, externalId: app?.externalId ?? null, displayName: app?.displayName ?? '' } } : {}),
    };
  });
  send(res, 200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/teamwork/installedApps', value });
}
