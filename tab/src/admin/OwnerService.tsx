/**
 * A service owner editing one service: its own working copy, saved with
 * `PUT /api/admin/services/{id}` and that service's ETag (two owners of two services never collide).
 */
import { useDeferredValue, useMemo } from 'react';
import { Spinner } from '@fluentui/react-components';
import type { AdminMe, ConfigProblem } from '@stratus/shared/contract/admin';
import type { ServiceConfig } from '@stratus/shared/tenant/model';
import type { AdminApi } from './api';
import { LoadError } from './LoadError';
import { serviceProblems } from './liveProblems';
import { mergeProblems, type Location, type ServiceTab } from './problems';
import { ProblemsProvider } from './ProblemsContext';
import { SERVICE_TAB_LABEL, ServiceEditor } from './services/ServiceEditor';
import type { EditorContext } from './services/types';
import { Shell } from './Shell';
import { StatusBars } from './StatusBars';
import { useDraft } from './useDraft';
import { useLeaveGuard } from './useLeaveGuard';

/** The server names a problem by the service's place in the tenant; here the service is `services[0]`. */
export function toServicePaths(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.map((p) => ({
    ...p,
    path: /^services\[\d+\]/.test(p.path) ? p.path.replace(/^services\[\d+\]/, 'services[0]') : p.path ? `services[0].${p.path}` : p.path,
  }));
}

export function OwnerService(p: {
  api: AdminApi;
  me: AdminMe;
  id: string;
  ctx: EditorContext;
  tab: ServiceTab;
  onTab: (t: ServiceTab) => void;
  onBack: () => void;
}) {
  const { api } = p;
  const d = useDraft<ServiceConfig>({
    load: () => api.service(p.id),
    save: api.saveService,
    problems: toServicePaths,
    doc: (s) => ({ services: [s] }),
  });
  useLeaveGuard(d.dirty);
  const deferred = useDeferredValue(d.draft);
  const live = useMemo(() => (deferred ? serviceProblems(deferred) : []), [deferred]);
  const problems = useMemo(() => mergeProblems(d.serverProblems, live), [d.serverProblems, live]);
  const describe = (l: Location) => (l.section === 'services' ? SERVICE_TAB_LABEL[l.tab] : 'Elsewhere');
  const back = () => {
    if (!d.dirty || window.confirm('You have unsaved changes. Leave this service without saving them?')) p.onBack();
  };
  return (
    <ProblemsProvider problems={problems}>
      <Shell
        me={p.me}
        dirty={d.dirty}
        saving={d.saving}
        onSave={() => void d.save()}
        bars={<StatusBars draft={d} problems={problems} describe={describe} onGo={(l) => l.section === 'services' && p.onTab(l.tab)} />}
        sections={[{ value: 'services', label: 'My services' }]}
        section="services"
        onSection={back}
      >
        {d.status === 'loading' && <Spinner label="Loading the service" />}
        {d.status === 'failed' && <LoadError message={d.error} onRetry={() => void d.reload()} />}
        {d.draft && (
          <ServiceEditor
            service={d.draft}
            index={0}
            access="owner"
            ctx={p.ctx}
            tab={p.tab}
            onTab={p.onTab}
            isNew={false}
            onChange={(fn) => d.edit(fn)}
            onBack={back}
          />
        )}
      </Shell>
    </ProblemsProvider>
  );
}
