/**
 * Export downloads the saved configuration (secrets left out); import reads a file, says what it
 * would change, and saves it as the new configuration (a stored Twilio token is kept).
 */
import { useRef, useState } from 'react';
import { Button, MessageBar, MessageBarBody, MessageBarTitle, Text, Title3 } from '@fluentui/react-components';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { parseTenant } from '@stratus/shared/tenant/validate';
import { formatProblem } from '@stratus/shared/util/problems';
import type { AdminApi } from '../api';
import { useFormStyles } from '../services/form.styles';
import { diffSummary, tenantOfFile, type DiffSummary } from './diffSummary';

interface Pending {
  file: string;
  tenant: TenantConfig;
  diff: DiffSummary;
  problems: string[];
}

export function ImportExportSection({
  api,
  saved,
  dirty,
  onImport,
}: {
  api: AdminApi;
  saved: TenantConfig;
  dirty: boolean;
  /** Makes the tenant the working copy and saves it. */
  onImport: (t: TenantConfig) => void;
}) {
  const s = useFormStyles();
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<Pending>();
  const [error, setError] = useState<string>();
  const download = async () => {
    setError(undefined);
    try {
      const text = await api.exportConfig();
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `stratus-${saved.id}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The export did not work.');
    }
  };
  const read = async (f: File) => {
    setError(undefined);
    setPending(undefined);
    let json: unknown;
    try {
      json = JSON.parse(await f.text());
    } catch {
      return setError(`${f.name} is not a JSON file.`);
    }
    const tenant = tenantOfFile(json);
    if (!tenant) return setError(`${f.name} holds no tenant configuration.`);
    const parsed = parseTenant(tenant);
    setPending({
      file: f.name,
      tenant,
      diff: diffSummary(saved, tenant),
      problems: parsed.ok ? [] : parsed.problems.filter((p) => !(p.path === 'twilio.authToken' && saved.twilio)).map(formatProblem),
    });
  };
  const n = pending ? pending.diff.added.length + pending.diff.removed.length + pending.diff.changed.length : 0;
  return (
    <div className={s.form}>
      <Title3 as="h2">Import / export</Title3>
      <section aria-labelledby="export-h" className={s.form}>
        <Text as="h3" id="export-h" weight="semibold">
          Export
        </Text>
        <Text>
          The saved configuration as a JSON file{dirty ? ' (without your unsaved changes)' : ''}. Secrets such as the Twilio auth token are
          left out.
        </Text>
        <div>
          <Button onClick={() => void download()}>Download the configuration</Button>
        </div>
      </section>
      <section aria-labelledby="import-h" className={s.form}>
        <Text as="h3" id="import-h" weight="semibold">
          Import
        </Text>
        <Text>
          A file exported here or written by hand (the STRATUS_CONFIG format). It replaces the whole configuration; a stored Twilio auth
          token is kept when the file leaves it out.
        </Text>
        <input
          ref={input}
          type="file"
          accept="application/json,.json"
          aria-label="Configuration file"
          tabIndex={-1}
          className={s.srOnly}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void read(f);
            e.target.value = '';
          }}
        />
        <div>
          <Button onClick={() => input.current?.click()}>Choose a file…</Button>
        </div>
      </section>
      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {pending && (
        <MessageBar intent={pending.problems.length ? 'warning' : 'info'} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {pending.file}: {n === 0 ? 'no changes' : `${n} change${n === 1 ? '' : 's'}`}
            </MessageBarTitle>
            {pending.tenant.id !== saved.id && (
              <Text block>
                It is for tenant "{pending.tenant.id}", not "{saved.id}".
              </Text>
            )}
            {pending.diff.added.length > 0 && <Text block>Added: {pending.diff.added.join(', ')}</Text>}
            {pending.diff.removed.length > 0 && <Text block>Removed: {pending.diff.removed.join(', ')}</Text>}
            {pending.diff.changed.length > 0 && <Text block>Changed: {pending.diff.changed.join(', ')}</Text>}
            {pending.problems.length > 0 && (
              <Text block>
                {pending.problems.length} problem{pending.problems.length === 1 ? '' : 's'}: {pending.problems.slice(0, 5).join('; ')}
                {pending.problems.length > 5 ? '; …' : ''}
              </Text>
            )}
            {dirty && <Text block>Your unsaved changes on this page are replaced by the file.</Text>}
            <div className={s.row}>
              <Button
                appearance="primary"
                onClick={() => {
                  onImport(pending.tenant);
                  setPending(undefined);
                }}
              >
                Import and save
              </Button>
              <Button onClick={() => setPending(undefined)}>Cancel</Button>
            </div>
          </MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
