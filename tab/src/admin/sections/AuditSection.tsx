/** The audit log, newest first, a page at a time; each entry opens to its changes. */
import { useCallback, useEffect, useState } from 'react';
import { Accordion, Button, MessageBar, MessageBarBody, Spinner, Text, Title3 } from '@fluentui/react-components';
import type { AuditEntry } from '@stratus/shared/contract/admin';
import type { AdminApi } from '../api';
import { AuditEntryItem } from './AuditEntryItem';

export function AuditSection({ api }: { api: AdminApi }) {
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [next, setNext] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const load = useCallback(
    async (before?: number) => {
      setBusy(true);
      try {
        const page = await api.audit(before);
        setEntries((old) => {
          const all = [...(before === undefined ? [] : (old ?? [])), ...page.entries];
          return [...new Map(all.map((e) => [e.id, e])).values()].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
        });
        setNext(page.next);
        setError(undefined);
      } catch (e) {
        setError(e instanceof Error ? e.message : 'The audit log could not be read.');
      } finally {
        setBusy(false);
      }
    },
    [api],
  );
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <Title3 as="h2">Audit log</Title3>
      <div>
        <Button onClick={() => void load()} disabled={busy}>
          Refresh
        </Button>
      </div>
      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {entries && entries.length === 0 && <Text>Nothing has been changed yet.</Text>}
      {entries && entries.length > 0 && (
        <Accordion multiple collapsible>
          {entries.map((e) => (
            <AuditEntryItem key={e.id} entry={e} />
          ))}
        </Accordion>
      )}
      {busy && <Spinner size="tiny" label="Loading" />}
      {next !== undefined && !busy && (
        <div>
          <Button onClick={() => void load(next)}>Load older entries</Button>
        </div>
      )}
    </>
  );
}
