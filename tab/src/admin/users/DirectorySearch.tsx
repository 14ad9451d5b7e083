/** Searches the tenant's Entra ID directory; one click adds a person with UPN, name and object id. */
import { useEffect, useState } from 'react';
import { Button, Field, SearchBox, Spinner, Text } from '@fluentui/react-components';
import type { DirectoryUser } from '@stratus/shared/contract/admin';
import type { AdminApi } from '../api';
import { useFormStyles } from '../services/form.styles';

export function DirectorySearch({
  api,
  isAdded,
  onAdd,
}: {
  api: AdminApi;
  isAdded: (u: DirectoryUser) => boolean;
  onAdd: (u: DirectoryUser) => void;
}) {
  const s = useFormStyles();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<DirectoryUser[]>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    const term = q.trim();
    if (term.length < 2) {
      setHits(undefined);
      return;
    }
    let live = true;
    // Wait for a pause in typing: one directory query per word, not per key.
    const t = setTimeout(() => {
      setBusy(true);
      api.directory(term).then(
        (users) => {
          if (!live) return;
          setHits(users);
          setError(undefined);
          setBusy(false);
        },
        (e: unknown) => {
          if (!live) return;
          setError(e instanceof Error ? e.message : 'The directory could not be searched.');
          setBusy(false);
        },
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, q]);
  return (
    <div className={s.form}>
      <Field label="Search the directory" hint="Name or email, at least two letters.">
        <SearchBox value={q} onChange={(_e, d) => setQ(d.value)} />
      </Field>
      {busy && <Spinner size="tiny" label="Searching" />}
      {error && (
        <Text role="alert" className={s.danger}>
          {error}
        </Text>
      )}
      {hits && (
        <ul className={s.list} aria-label="Directory results">
          {hits.map((u) => (
            <li key={u.id} className={s.row}>
              <Text className={s.grow}>
                {u.displayName} <Text className={s.note}>({u.upn})</Text>
              </Text>
              <Button size="small" disabled={isAdded(u)} onClick={() => onAdd(u)} aria-label={`Add ${u.displayName}`}>
                {isAdded(u) ? 'Added' : 'Add'}
              </Button>
            </li>
          ))}
          {hits.length === 0 && <Text className={s.note}>Nobody found.</Text>}
        </ul>
      )}
    </div>
  );
}
