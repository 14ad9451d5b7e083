/**
 * A tenant admin's page: a working copy of the whole tenant document, edited in every section and
 * saved at once (`PUT /api/admin/config` with `If-Match`), validated live with the server's rules.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import { Spinner } from '@fluentui/react-components';
import type { AdminMe } from '@stratus/shared/contract/admin';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import { BUILTIN_WORKFLOWS } from '@stratus/shared/tenant/validate';
import type { AdminApi } from './api';
import { LoadError } from './LoadError';
import { mergeProblems, locate, type Location, type Section, type ServiceTab } from './problems';
import { ProblemsProvider } from './ProblemsContext';
import { tenantProblems } from './liveProblems';
import { AuditSection } from './sections/AuditSection';
import { CalendarsSection } from './sections/CalendarsSection';
import { ImportExportSection } from './sections/ImportExportSection';
import { TeamsSection } from './sections/TeamsSection';
import { TwilioSection } from './sections/TwilioSection';
import { WorkflowsSection } from './sections/WorkflowsSection';
import { SERVICE_TAB_LABEL } from './services/ServiceEditor';
import { ServicesSection } from './services/ServicesSection';
import { Shell, type SectionItem } from './Shell';
import { StatusBars } from './StatusBars';
import { useDraft } from './useDraft';
import { useLeaveGuard } from './useLeaveGuard';
import { UsersSection } from './users/UsersSection';

export const SECTION_LABEL: Record<Section, string> = {
  services: 'Services',
  workflows: 'Workflows',
  users: 'Users & licenses',
  calendars: 'Calendars',
  twilio: 'Twilio connector',
  teams: 'Teams',
  audit: 'Audit log',
  import: 'Import / export',
};

interface Nav {
  section: Section;
  service?: number;
  tab: ServiceTab;
}

export function AdminWorkspace({ api, me }: { api: AdminApi; me: AdminMe }) {
  const d = useDraft<TenantConfig>({ load: api.config, save: api.saveConfig });
  const [nav, setNav] = useState<Nav>({ section: 'services', tab: 'general' });
  useLeaveGuard(d.dirty);
  const twilioStored = !!d.saved?.twilio;
  const deferred = useDeferredValue(d.draft);
  const live = useMemo(() => (deferred ? tenantProblems(deferred, twilioStored) : []), [deferred, twilioStored]);
  const problems = useMemo(() => mergeProblems(d.serverProblems, live), [d.serverProblems, live]);
  const t = d.draft;
  const ctx = useMemo(
    () => ({
      users: t?.users,
      workflows: [...(t?.workflows ?? []), ...BUILTIN_WORKFLOWS.filter((b) => !t?.workflows.some((w) => w.id === b.id))],
      twilioConfigured: !!t?.twilio,
    }),
    [t?.users, t?.workflows, t?.twilio],
  );

  if (d.status === 'loading') return <Spinner label="Loading the configuration" />;
  if (!t || !d.saved) return <LoadError message={d.error} onRetry={() => void d.reload()} />;
  const saved = d.saved;

  const describe = (l: Location) =>
    l.section === 'services'
      ? `${t.services[l.serviceIndex]?.name || `Service ${l.serviceIndex + 1}`} › ${SERVICE_TAB_LABEL[l.tab]}`
      : SECTION_LABEL[l.section];
  const go = (l: Location) =>
    setNav(
      l.section === 'services' ? { section: 'services', service: l.serviceIndex, tab: l.tab } : { section: l.section, tab: 'general' },
    );
  const count = (section: Section) => problems.filter((p) => locate(p.path)?.section === section).length;
  const sections: SectionItem<Section>[] = (Object.keys(SECTION_LABEL) as Section[]).map((value) => ({
    value,
    label: SECTION_LABEL[value],
    problems: count(value),
  }));
  const edit = d.edit;

  return (
    <ProblemsProvider problems={problems}>
      <Shell
        me={me}
        dirty={d.dirty}
        saving={d.saving}
        onSave={() => void d.save()}
        bars={<StatusBars draft={d} problems={problems} describe={describe} onGo={go} />}
        sections={sections}
        section={nav.section}
        onSection={(section) => setNav({ section, tab: 'general' })}
      >
        {nav.section === 'services' && (
          <ServicesSection
            tenant={t}
            saved={saved}
            edit={edit}
            ctx={ctx}
            open={nav.service}
            tab={nav.tab}
            onOpen={(service, tab) =>
              setNav((n) => ({ section: 'services', ...(service === undefined ? {} : { service }), tab: tab ?? n.tab }))
            }
          />
        )}
        {nav.section === 'workflows' && (
          <WorkflowsSection
            workflows={t.workflows}
            onChange={(workflows) => edit((x) => ({ ...x, workflows }))}
            problems={problems.filter((p) => p.path.startsWith('workflows['))}
            services={t.services}
          />
        )}
        {nav.section === 'users' && <UsersSection tenant={t} edit={edit} api={api} directory={me.directory} myId={me.userId} />}
        {nav.section === 'calendars' && (
          <CalendarsSection services={t.services} onEdit={(service) => setNav({ section: 'services', service, tab: 'hours' })} />
        )}
        {nav.section === 'twilio' && <TwilioSection tenant={t} stored={twilioStored} edit={edit} api={api} />}
        {nav.section === 'teams' && (
          <TeamsSection tenant={t} edit={edit} api={api} onAudit={() => setNav({ section: 'audit', tab: 'general' })} />
        )}
        {nav.section === 'audit' && <AuditSection api={api} />}
        {nav.section === 'import' && (
          <ImportExportSection api={api} saved={saved} dirty={d.dirty} onImport={(x) => void d.replaceAndSave(x)} />
        )}
      </Shell>
    </ProblemsProvider>
  );
}
