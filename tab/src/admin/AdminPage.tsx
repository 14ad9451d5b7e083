/**
 * The Admin page (`/tab/admin`), loaded on its own so My Sessions never loads it. `GET
 * /api/admin/me` decides what it shows: everything for a tenant admin, their services for a
 * service owner, and for anyone else a calm note about the roles.
 */
import { useEffect, useMemo, useState } from 'react';
import { Spinner } from '@fluentui/react-components';
import type { AdminMe } from '@stratus/shared/contract/admin';
import { AdminApi } from './api';
import { AdminWorkspace } from './AdminWorkspace';
import { LoadError } from './LoadError';
import { NoRole } from './NoRole';
import { OwnerWorkspace } from './OwnerWorkspace';

export default function AdminPage({ token }: { token: () => Promise<string> }) {
  const api = useMemo(() => new AdminApi(token), [token]);
  const [me, setMe] = useState<AdminMe>();
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    document.title = 'Stratus admin';
    let live = true;
    api.me().then(
      (m) => live && setMe(m),
      (e: unknown) => live && setError(e instanceof Error ? e.message : 'Stratus could not be loaded.'),
    );
    return () => {
      live = false;
    };
  }, [api, attempt]);
  if (error)
    return (
      <LoadError
        message={error}
        onRetry={() => {
          setError(undefined);
          setAttempt((n) => n + 1);
        }}
      />
    );
  if (!me) return <Spinner label="Loading" />;
  if (me.admin) return <AdminWorkspace api={api} me={me} />;
  if (me.owns.length > 0) return <OwnerWorkspace api={api} me={me} />;
  return <NoRole me={me} />;
}
