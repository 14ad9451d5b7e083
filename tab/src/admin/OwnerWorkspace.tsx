/** A service owner's page: the services they own; each opens in its own editor. */
import { useEffect, useMemo, useState } from 'react';
import { Spinner, Text, Title3 } from '@fluentui/react-components';
import type { AdminMe, AdminServiceEntry } from '@stratus/shared/contract/admin';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import type { AdminApi } from './api';
import { LoadError } from './LoadError';
import { OwnerService } from './OwnerService';
import type { ServiceTab } from './problems';
import { ServiceList } from './services/ServiceList';
import type { EditorContext } from './services/types';
import { Shell } from './Shell';

export function OwnerWorkspace({ api, me }: { api: AdminApi; me: AdminMe }) {
  const [entries, setEntries] = useState<AdminServiceEntry[]>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<string>();
  const [tab, setTab] = useState<ServiceTab>('members');
  // The tenant's users give members their names; an owner may not be allowed to read them (then ids).
  const [tenant, setTenant] = useState<TenantConfig | null>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    api.services().then(
      (x) => {
        setEntries(x);
        setError(undefined);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : 'Your services could not be loaded.'),
    );
  }, [api, attempt, open]);
  useEffect(() => {
    api.config().then(
      (t) => setTenant(t.value),
      () => setTenant(null),
    );
  }, [api]);
  const ctx = useMemo<EditorContext>(
    () => ({ users: tenant?.users, workflows: tenant?.workflows ?? [], twilioConfigured: tenant ? !!tenant.twilio : undefined }),
    [tenant],
  );
  if (open)
    return <OwnerService key={open} api={api} me={me} id={open} ctx={ctx} tab={tab} onTab={setTab} onBack={() => setOpen(undefined)} />;
  return (
    <Shell
      me={me}
      dirty={false}
      saving={false}
      bars={error ? <LoadError message={error} onRetry={() => setAttempt((n) => n + 1)} /> : null}
      sections={[{ value: 'services', label: 'My services' }]}
      section="services"
      onSection={() => undefined}
    >
      <Title3 as="h2">My services</Title3>
      <Text>As a service owner you manage members, opening hours, Interact and distribution of these services.</Text>
      {entries ? (
        <ServiceList
          services={entries}
          onOpen={(id) => {
            setTab('members');
            setOpen(id);
          }}
        />
      ) : (
        !error && <Spinner label="Loading your services" />
      )}
    </Shell>
  );
}
