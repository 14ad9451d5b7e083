/**
 * A local stand-in for Microsoft Graph's `/v1.0/users`, `/v1.0/communications/getPresencesByUserId`
 * and Teams apps (standin-teams.ts: the app catalog, a user's installed apps and their bot chat,
 * activity-feed notifications), and Entra ID's token endpoint, answering as they do (including
 * their refusals), so that tests and dev mode search a directory and read Teams presence without a
 * network. Tests start it on its own port (startGraphStandIn); dev mode mounts the same handler
 * under a path of the server (graphStandInHandler with a prefix) and points both
 * GRAPH_API_BASE_URL and the authority at that path.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { DirectoryUser } from '@stratus/shared/contract/admin';
import { authorized, failedAsTold, graphBody, send, TOKEN_PREFIX, type GraphStandInFailure } from './standin-answers';
import { listCatalog, userTeamwork, type StandInCatalogApp, type StandInInstallation, STANDIN_CATALOG_APP } from './standin-teams';

export type { GraphStandInFailure } from './standin-answers';
export { installForUser, STANDIN_CATALOG_APP, type StandInCatalogApp, type StandInInstallation } from './standin-teams';

/** A fictional Contoso directory: the demo tenant's two users first, with their ids. */
export const DEV_DIRECTORY: DirectoryUser[] = [
  { id: '00000000-0000-0000-0000-0000000a11ce', upn: 'alice@contoso.com', displayName: 'Alice Anders', mail: 'alice@contoso.com' },
  { id: '00000000-0000-0000-0000-000000000b0b', upn: 'bob@contoso.com', displayName: 'Bob Berg', mail: 'bob@contoso.com' },
  { id: '3f2c9a41-7b6e-4d0a-9c51-0000000ca201', upn: 'carol@contoso.com', displayName: 'Carol Castillo', mail: 'carol@contoso.com' },
  { id: '8d1e5b27-2c4f-4a93-b6e0-00000000da7e', upn: 'dave@contoso.com', displayName: 'Dave Dunmore', mail: 'dave@contoso.com' },
  { id: 'c5a0f3d8-9e12-47b6-8a3c-00000000e214', upn: 'erin@contoso.com', displayName: 'Erin Eastwood', mail: 'erin@contoso.com' },
  { id: '1b7d4e90-5a3c-4f28-9d61-00000000f4a1', upn: 'frank@contoso.com', displayName: 'Frank Fischer', mail: 'frank@contoso.com' },
  { id: '6e9c2f15-8b47-4d3a-a0c2-000000009ace', upn: 'grace@contoso.com', displayName: 'Grace Gupta', mail: 'grace@contoso.com' },
  { id: 'a4f81c63-0d2e-4b95-8f7a-00000000ea1d', upn: 'heidi@contoso.com', displayName: 'Heidi Halvorsen', mail: 'heidi@contoso.com' },
  { id: 'd27b9e04-6f1a-4c83-b5d9-000000001a2a', upn: 'ivan@contoso.com', displayName: 'Ivan Ionescu', mail: 'ivan@contoso.com' },
  { id: '5c3a8d72-e9b1-4f06-9a4e-000000000d1e', upn: 'judy@contoso.com', displayName: "Judy O'Donnell", mail: 'judy@contoso.com' },
  {
    id: '90e6b3a5-1c7d-4e29-8b0f-0000000a11e0',
    upn: 'mallory.nakamura@contoso.com',
    displayName: 'Mallory Nakamura',
    mail: 'mallory.nakamura@contoso.com',
  },
  // A shared mailbox's account: no person behind it, and (as often) no mail of its own in Graph.
  { id: 'f1d4a7c9-3b8e-4a52-9e6d-000000005a1e', upn: 'sales-desk@contoso.com', displayName: 'Sales Desk' },
];

/** One request the stand-in received (headers as Node gives them, lower-case). */
export interface GraphStandInRequest {
  method: string;
  /** Path and query, below the prefix: `/v1.0/users?$top=5`, `/{tenant}/oauth2/v2.0/token`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** A Graph call's JSON body, as parsed (`{ ids }`); token requests' bodies, which hold the secret, are not kept. */
  body?: unknown;
}

export interface GraphStandInOptions {
  /** Default: DEV_DIRECTORY. Read on every request, so a test may change it. */
  users?: DirectoryUser[];
  /** A path the handler is mounted under (`/api/dev/graph`); default none. */
  prefix?: string;
  /** When given, every request is appended here (tests; dev mode records nothing). */
  requests?: GraphStandInRequest[];
  /** Answers for the next Graph calls, taken in order. */
  failNext?: GraphStandInFailure[];
  /** When given, the token endpoint refuses any other client secret, as Entra ID does. */
  clientSecret?: string;
  /** Teams presence by object id (lower-case; see setPresence); read on every request, so a test may change it. */
  presences?: Map<string, StandInPresence>;
  /** The tenant's Teams app catalog (org apps: their own id, the manifest id as externalId). */
  catalog?: StandInCatalogApp[];
  /** Apps installed in users' personal scope, by object id (lower-case). */
  installedApps?: Map<string, StandInInstallation[]>;
  /** Answers for every call to a user's `/teamwork/…` (by object id, lower-case) until removed; `times` limits it. */
  userFailures?: Map<string, GraphStandInFailure & { times?: number }>;
}

/**
 * A user's presence as the stand-in answers it. The availability is any string, so that a test
 * can give one Graph does not have (yet) and see it read as PresenceUnknown.
 */
export interface StandInPresence {
  availability: string;
  activity: string;
}

/** What Graph answers for a user it has no presence for. */
const UNKNOWN_PRESENCE: StandInPresence = { availability: 'PresenceUnknown', activity: 'PresenceUnknown' };

/** Graph's limit of ids in one getPresencesByUserId request. */
const MAX_PRESENCE_IDS = 650;

/** Sets a user's presence in a stand-in's map, under the object id in lower case (Graph's ids are case-insensitive). */
export function setPresence(map: Map<string, StandInPresence>, objectId: string, availability: string, activity: string): void {
  map.set(objectId.toLowerCase(), { availability, activity });
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const USER_FIELDS = ['id', 'displayName', 'userPrincipalName', 'mail'] as const;
type UserField = (typeof USER_FIELDS)[number];
const MAX_BODY = 16 * 1024;
/** 650 quoted GUIDs are some 26 kB. */
const MAX_JSON_BODY = 64 * 1024;

/** The stand-in as a Node request handler (answers 404 outside its prefix). */
export function graphStandInHandler(opts: GraphStandInOptions = {}): NodeHandler {
  const prefix = (opts.prefix ?? '').replace(/\/+$/, '');
  return async (req, res) => {
    const url = req.url ?? '/';
    if (prefix && url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`))
      return send(res, 404, graphBody('Request_ResourceNotFound', 'Not found.'));
    const path = url.slice(prefix.length) || '/';
    const recorded: GraphStandInRequest = { method: req.method ?? 'GET', path, headers: { ...req.headers } };
    opts.requests?.push(recorded);
    const u = new URL(path, 'http://stand-in');
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(u.pathname);
    if (token && req.method === 'POST') return issueToken(res, decodeURIComponent(token[1]!), await readBody(req), opts.clientSecret);
    if (u.pathname === '/v1.0/users' && req.method === 'GET') return listUsers(req, res, u.searchParams, opts);
    if (u.pathname === '/v1.0/communications/getPresencesByUserId' && req.method === 'POST') {
      recorded.body = await readJson(req);
      return presencesByUserId(req, res, recorded.body, opts);
    }
    if (u.pathname === '/v1.0/appCatalogs/teamsApps' && req.method === 'GET')
      return listCatalog(req, res, u.searchParams, { ...opts, users: opts.users ?? DEV_DIRECTORY });
    const teamwork = /^\/v1\.0\/users\/([^/]+)\/teamwork\/(installedApps|sendActivityNotification)(?:\/([^/]+)(\/chat)?)?$/.exec(
      u.pathname,
    );
    if (teamwork) {
      if (req.method === 'POST') recorded.body = await readJson(req);
      return userTeamwork(
        req,
        res,
        { ...opts, users: opts.users ?? DEV_DIRECTORY },
        {
          userId: decodeURIComponent(teamwork[1]!),
          what: teamwork[2] as 'installedApps' | 'sendActivityNotification',
          installationId: teamwork[3] === undefined ? undefined : decodeURIComponent(teamwork[3]),
          chat: teamwork[4] !== undefined,
          query: u.searchParams,
          body: recorded.body,
        },
      );
    }
    send(res, 404, graphBody('Request_ResourceNotFound', `Resource '${u.pathname.slice(0, 80)}' does not exist.`));
  };
}

export interface GraphStandIn {
  url: string;
  requests: GraphStandInRequest[];
  failNext: GraphStandInFailure[];
  users: DirectoryUser[];
  presences: Map<string, StandInPresence>;
  catalog: StandInCatalogApp[];
  installedApps: Map<string, StandInInstallation[]>;
  userFailures: Map<string, GraphStandInFailure & { times?: number }>;
  close(): Promise<void>;
}

/** Starts the stand-in on a free loopback port; its `url` serves as both Graph's base URL and the authority host. */
export async function startGraphStandIn(
  opts: { users?: DirectoryUser[]; clientSecret?: string; presences?: Map<string, StandInPresence>; catalog?: StandInCatalogApp[] } = {},
): Promise<GraphStandIn> {
  const requests: GraphStandInRequest[] = [];
  const failNext: GraphStandInFailure[] = [];
  const users = opts.users ?? DEV_DIRECTORY.map((u) => ({ ...u }));
  const presences = opts.presences ?? new Map<string, StandInPresence>();
  const catalog = opts.catalog ?? [{ ...STANDIN_CATALOG_APP }];
  const installedApps = new Map<string, StandInInstallation[]>();
  const userFailures = new Map<string, GraphStandInFailure & { times?: number }>();
  const handler = graphStandInHandler({
    users,
    requests,
    failNext,
    presences,
    catalog,
    installedApps,
    userFailures,
    ...(opts.clientSecret ? { clientSecret: opts.clientSecret } : {}),
  });
  const server = createServer((req, res) => {
    handler(req, res).catch((e: unknown) => send(res, 500, graphBody('generalException', String(e))));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext,
    users,
    presences,
    catalog,
    installedApps,
    userFailures,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Entra ID's client-credentials grant: a fake access token, or the refusal Entra ID gives. */
function issueToken(res: ServerResponse, tenant: string, form: URLSearchParams, secret: string | undefined): void {
  const refuse = (status: number, error: string, aadsts: number, description: string) =>
    send(res, status, { error, error_description: `AADSTS${aadsts}: ${description}`, error_codes: [aadsts] });
  if (form.get('grant_type') !== 'client_credentials')
    return refuse(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  if (!form.get('client_id')) return refuse(400, 'invalid_request', 900144, "The request body must contain the parameter 'client_id'.");
  if (!form.get('scope')?.endsWith('/.default'))
    return refuse(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid: client credentials take a /.default scope.');
  const given = form.get('client_secret');
  if (!given) return refuse(401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required.");
  if (secret !== undefined && given !== secret)
    return refuse(
      401,
      'invalid_client',
      7000215,
      'Invalid client secret provided. Ensure the secret being sent is the client secret value.',
    );
  send(res, 200, {
    token_type: 'Bearer',
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: `${TOKEN_PREFIX}${tenant}.${randomUUID()}`,
  });
}

/** POST /v1.0/communications/getPresencesByUserId: `{ids}` (at most 650) in, one presence per id out. */
function presencesByUserId(req: IncomingMessage, res: ServerResponse, body: unknown, opts: GraphStandInOptions): void {
  if (failedAsTold(res, opts.failNext) || !authorized(req, res)) return;
  const ids = (body as { ids?: unknown } | undefined)?.ids;
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
    return send(res, 400, graphBody('BadRequest', "The request body must have 'ids', an array of user object ids."));
  if (ids.length > MAX_PRESENCE_IDS)
    return send(res, 400, graphBody('BadRequest', `The number of ids (${ids.length}) exceeds the limit of ${MAX_PRESENCE_IDS}.`));
  const value = (ids as string[]).map((id) => ({ id, ...(opts.presences?.get(id.toLowerCase()) ?? UNKNOWN_PRESENCE) }));
  send(res, 200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.presence)', value });
}

/** A JSON body, or undefined for one that is not JSON (answered with a 400); under restify it has been read already. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const read = (req as { body?: unknown }).body;
  if (read && typeof read === 'object' && !Buffer.isBuffer(read)) return read;
  let text = typeof read === 'string' ? read : Buffer.isBuffer(read) ? read.toString('utf8') : '';
  if (read === undefined && !req.readableEnded)
    for await (const chunk of req) {
      text += String(chunk);
      if (text.length > MAX_JSON_BODY) break;
    }
  try {
    return JSON.parse(text);
  } catch (e) {
    // Not JSON, or cut at the bound: the caller answers 400 as Graph does, which is the report.
    return undefined;
  }
}

/** GET /v1.0/users with $search, $select, $top and $orderby, as Graph answers it. */
function listUsers(req: IncomingMessage, res: ServerResponse, q: URLSearchParams, opts: GraphStandInOptions): void {
  if (failedAsTold(res, opts.failNext) || !authorized(req, res)) return;

  const unsupported = (message: string) => send(res, 400, graphBody('Request_UnsupportedQuery', message));
  const top = q.get('$top') ?? '100';
  if (!/^\d+$/.test(top) || Number(top) < 1 || Number(top) > 999)
    return send(
      res,
      400,
      graphBody('Request_BadRequest', `Invalid page size specified: '${top.slice(0, 20)}'. Must be between 1 and 999 inclusive.`),
    );
  const select = (q.get('$select') ?? USER_FIELDS.join(',')).split(',').map((s) => s.trim());
  const unknown = select.find((f) => !(USER_FIELDS as readonly string[]).includes(f));
  if (unknown !== undefined)
    return send(
      res,
      400,
      graphBody('BadRequest', `Could not find a property named '${unknown.slice(0, 40)}' on type 'microsoft.graph.user'.`),
    );

  let users = opts.users ?? DEV_DIRECTORY;
  const search = q.get('$search');
  if (search !== null) {
    if (req.headers.consistencylevel !== 'eventual')
      return unsupported(
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    const parsed = parseSearch(search);
    if (typeof parsed === 'string') return send(res, 400, graphBody('Request_BadRequest', parsed));
    users = users.filter((u) => parsed.some((all) => all.every((c) => fieldOf(u, c.field)?.toLowerCase().includes(c.value.toLowerCase()))));
  }
  const orderby = q.get('$orderby');
  if (orderby !== null) {
    const field = orderby.trim().split(/\s+/)[0] as UserField;
    if (field !== 'displayName' && field !== 'userPrincipalName')
      return unsupported(`Sorting by '${orderby.slice(0, 40)}' is not supported.`);
    users = [...users].sort((a, b) => (fieldOf(a, field) ?? '').localeCompare(fieldOf(b, field) ?? ''));
  }
  const value = users.slice(0, Number(top)).map((u) => Object.fromEntries(select.map((f) => [f, fieldOf(u, f as UserField) ?? null])));
  send(res, 200, { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users(${select.join(',')})`, value });
}

function fieldOf(u: DirectoryUser, f: UserField): string | undefined {
  switch (f) {
    case 'id':
      return u.id;
    case 'displayName':
      return u.displayName;
    case 'userPrincipalName':
      return u.upn;
    case 'mail':
      return u.mail;
  }
}

interface Clause {
  field: UserField;
  value: string;
}

/**
 * Graph's `$search` for directory objects: quoted `"property:value"` clauses (`\"` and `\\`
 * escaped inside) joined by AND / OR, AND binding tighter. Answers the alternatives (each a list
 * of clauses that must all match), or why the expression is not valid.
 */
export function parseSearch(expr: string): Clause[][] | string {
  const alternatives: Clause[][] = [[]];
  let i = 0;
  let expectClause = true;
  while (i < expr.length) {
    if (expr[i] === ' ') {
      i += 1;
      continue;
    }
    if (expectClause) {
      if (expr[i] !== '"') return `Syntax error: character '${expr[i]}' is not valid at position ${i} in '${expr.slice(0, 80)}'.`;
      let text = '';
      i += 1;
      while (i < expr.length && expr[i] !== '"') {
        if (expr[i] === '\\') {
          if (i + 1 >= expr.length) return `Syntax error: a lone '\\' at position ${i}.`;
          i += 1;
        }
        text += expr[i];
        i += 1;
      }
      if (i >= expr.length) return `Syntax error: the quote opened in '${expr.slice(0, 80)}' is not closed.`;
      i += 1;
      const colon = text.indexOf(':');
      const field = USER_FIELDS.find((f) => f.toLowerCase() === text.slice(0, colon).toLowerCase());
      if (colon < 0 || !field || field === 'id')
        return `Invalid $search clause '${text.slice(0, 80)}': expected "displayName:…", "userPrincipalName:…" or "mail:…".`;
      alternatives[alternatives.length - 1]!.push({ field, value: text.slice(colon + 1) });
      expectClause = false;
    } else {
      const word = /^(AND|OR)(?= )/.exec(expr.slice(i));
      if (!word) return `Syntax error: expected AND or OR at position ${i} in '${expr.slice(0, 80)}'.`;
      if (word[1] === 'OR') alternatives.push([]);
      i += word[1]!.length;
      expectClause = true;
    }
  }
  if (expectClause) return `Syntax error: '${expr.slice(0, 80)}' ends where a clause was expected.`;
  return alternatives;
}

/** A form body; under restify it has been read (and perhaps parsed) already. */
async function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  const read = (req as { body?: unknown }).body;
  if (typeof read === 'string') return new URLSearchParams(read);
  if (Buffer.isBuffer(read)) return new URLSearchParams(read.toString('utf8'));
  if (read && typeof read === 'object') return new URLSearchParams(read as Record<string, string>);
  if (req.readableEnded) return new URLSearchParams();
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY) break;
  }
  return new URLSearchParams(text);
}
