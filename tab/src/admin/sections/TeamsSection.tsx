/**
 * How Stratus lives in Teams for the tenant (`teams`): installing the app for service members and
 * activity-feed notifications, plus installing for members now. A setting left at its default is
 * left out of the document, and `teams` with it once both are.
 */
import { useId, useState } from 'react';
import {
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title3,
} from '@fluentui/react-components';
import type { TeamsSettings, TenantConfig } from '@stratus/shared/tenant/model';
import type { AdminApi, TeamsInstallResult } from '../api';
import { ProblemGroup } from '../ProblemGroup';
import { ProblemField } from '../ProblemsContext';
import { useFormStyles } from '../services/form.styles';

/** What a setting is when the document leaves it out. */
export const TEAMS_DEFAULTS: Required<TeamsSettings> = { installForMembers: true, activityFeed: false };

const STATUS_LABEL: Record<TeamsInstallResult['status'], string> = {
  installed: 'Installed',
  alreadyInstalled: 'Already installed',
  failed: 'Failed',
  skipped: 'Skipped',
};

/** `teams` with `patch` applied, defaults left out; undefined once nothing differs from them. */
export function withTeams(teams: TeamsSettings | undefined, patch: TeamsSettings): TeamsSettings | undefined {
  const next: TeamsSettings = { ...teams, ...patch };
  for (const k of Object.keys(TEAMS_DEFAULTS) as (keyof TeamsSettings)[])
    if (next[k] === undefined || next[k] === TEAMS_DEFAULTS[k]) delete next[k];
  return Object.keys(next).length ? next : undefined;
}

type Run = { results: TeamsInstallResult[] } | { error: string };

function summary(results: readonly TeamsInstallResult[]): string {
  if (!results.length) return 'No licensed service members to install for';
  const n = (status: TeamsInstallResult['status']) => results.filter((r) => r.status === status).length;
  return [
    `${n('installed')} installed`,
    `${n('alreadyInstalled')} already installed`,
    `${n('failed')} failed`,
    `${n('skipped')} skipped`,
  ].join(', ');
}

export function TeamsSection({
  tenant,
  edit,
  api,
  onAudit,
}: {
  tenant: TenantConfig;
  edit: (fn: (t: TenantConfig) => TenantConfig) => void;
  api: AdminApi;
  /** Opens the Audit log section. */
  onAudit?: () => void;
}) {
  const s = useFormStyles();
  const [run, setRun] = useState<Run>();
  const [installing, setInstalling] = useState(false);
  const noteId = useId();
  const installForMembers = tenant.teams?.installForMembers ?? TEAMS_DEFAULTS.installForMembers;
  const activityFeed = tenant.teams?.activityFeed ?? TEAMS_DEFAULTS.activityFeed;
  const set = (patch: TeamsSettings) =>
    edit(({ teams, ...t }) => {
      const next = withTeams(teams, patch);
      return next ? { ...t, teams: next } : t;
    });
  const install = async () => {
    setInstalling(true);
    setRun(undefined);
    try {
      setRun({ results: await api.teamsInstall() });
    } catch (e) {
      setRun({ error: e instanceof Error ? e.message : 'The installation did not run.' });
    } finally {
      setInstalling(false);
    }
  };
  const failures = run && 'results' in run ? run.results.filter((r) => r.status === 'failed').length : 0;
  const auditPointer = (
    <>
      Failures are also written to the{' '}
      {onAudit ? (
        <Link as="button" inline onClick={onAudit}>
          Audit log
        </Link>
      ) : (
        'Audit log'
      )}
      .
    </>
  );

  return (
    <div className={s.form}>
      <Title3 as="h2">Teams</Title3>
      <Text>How Stratus reaches agents in Microsoft Teams.</Text>
      <ProblemGroup label="Stratus in Teams" path="=teams">
        <ProblemField
          label="Install for members"
          path="teams.installForMembers"
          hint="Install Stratus in Teams for every licensed member of a service, so their first offer reaches them"
        >
          <Switch checked={installForMembers} onChange={(_e, d) => set({ installForMembers: d.checked })} />
        </ProblemField>
        <ProblemField
          label="Activity feed notifications"
          path="teams.activityFeed"
          hint="Also notify agents in the Teams activity feed for each new offer when My Sessions is not open"
        >
          <Switch checked={activityFeed} onChange={(_e, d) => set({ activityFeed: d.checked })} />
        </ProblemField>
      </ProblemGroup>
      <div className={s.row}>
        <Button
          aria-describedby={noteId}
          onClick={() => void install()}
          disabled={!installForMembers}
          // Stays focusable while it runs, so the keyboard focus is not lost.
          disabledFocusable={installing}
        >
          {installing ? 'Installing…' : 'Install now'}
        </Button>
      </div>
      <Text id={noteId} size={200} className={s.note}>
        {installForMembers
          ? 'Installs the app now, with the saved settings, for licensed service members who do not have it yet. '
          : 'Turn on "Install for members" and save to install the app for members. '}
        {auditPointer}
      </Text>
      {run && 'error' in run && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>
            <MessageBarTitle>The app was not installed</MessageBarTitle>
            {run.error}
          </MessageBarBody>
        </MessageBar>
      )}
      {run && 'results' in run && (
        <>
          <MessageBar intent={failures ? 'warning' : 'success'} role="status">
            <MessageBarBody>
              {summary(run.results)}.{failures ? <> {auditPointer}</> : null}
            </MessageBarBody>
          </MessageBar>
          {run.results.length > 0 && (
            <Table size="small" aria-label="Installation results">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>User</TableHeaderCell>
                  <TableHeaderCell>Result</TableHeaderCell>
                  <TableHeaderCell>Reason</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {run.results.map((r) => (
                  <TableRow key={r.userId}>
                    <TableCell>{r.upn || r.userId}</TableCell>
                    <TableCell className={r.status === 'failed' ? s.danger : r.status === 'skipped' ? undefined : s.ok}>
                      {STATUS_LABEL[r.status]}
                    </TableCell>
                    <TableCell>{r.reason ?? ''}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
    </div>
  );
}
