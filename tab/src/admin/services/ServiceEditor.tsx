/** One service in sub-tabs; an owner edits members, hours, Interact and distribution, and reads the rest. */
import { Badge, Button, Tab, TabList, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { ServiceConfig } from '@stratus/shared/tenant/model';
import { locate, SERVICE_FIELDS, type ServiceTab } from '../problems';
import { useAllProblems } from '../ProblemsContext';
import { ChatTab } from './ChatTab';
import { DistributionTab } from './DistributionTab';
import { GeneralTab } from './GeneralTab';
import { HoursTab } from './HoursTab';
import { InteractTab } from './InteractTab';
import { LicensesTab } from './LicensesTab';
import { MembersTab } from './MembersTab';
import { WhatsAppTab } from './WhatsAppTab';
import { useFormStyles } from './form.styles';
import type { EditorContext } from './types';

export const SERVICE_TAB_LABEL: Record<ServiceTab, string> = {
  general: 'General',
  licenses: 'Licenses & IM',
  members: 'Members',
  distribution: 'Distribution',
  hours: 'Opening hours',
  interact: 'Interact',
  whatsapp: 'WhatsApp & SMS',
  chat: 'Chat',
};
/** What a service owner may change (shared/contract/admin.ts: members, hours, Interact, distribution). */
const OWNER_TABS: readonly ServiceTab[] = ['members', 'distribution', 'hours', 'interact'];

const useStyles = makeStyles({
  editor: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

export function ServiceEditor(p: {
  service: ServiceConfig;
  index: number;
  onChange: (fn: (s: ServiceConfig) => ServiceConfig) => void;
  access: 'all' | 'owner';
  ctx: EditorContext;
  tab: ServiceTab;
  onTab: (t: ServiceTab) => void;
  isNew: boolean;
  onDelete?: () => void;
  onBack?: () => void;
}) {
  const s = useStyles();
  const f = useFormStyles();
  const problems = useAllProblems();
  const path = `services[${p.index}]`;
  const count = (tab: ServiceTab) =>
    problems.filter((x) => {
      const l = locate(x.path);
      return l?.section === 'services' && l.serviceIndex === p.index && l.tab === tab;
    }).length;
  const readOnly = p.access === 'owner' && !OWNER_TABS.includes(p.tab);
  const props = { service: p.service, path, onChange: p.onChange, readOnly, ctx: p.ctx };
  return (
    <section className={s.editor} aria-labelledby="service-h">
      <div className={s.head}>
        {p.onBack && <Button onClick={p.onBack}>All services</Button>}
        <Title3 as="h2" id="service-h">
          {p.service.name || 'New service'}
        </Title3>
      </div>
      <TabList selectedValue={p.tab} onTabSelect={(_e, d) => p.onTab(d.value as ServiceTab)} aria-label="Service settings">
        {(Object.keys(SERVICE_FIELDS) as ServiceTab[]).map((t) => {
          const n = count(t);
          return (
            <Tab key={t} value={t}>
              {SERVICE_TAB_LABEL[t]}
              {n > 0 && (
                <>
                  {' '}
                  <Badge size="small" color="danger">
                    {n}
                  </Badge>
                  <span className={f.srOnly}> problem{n === 1 ? '' : 's'}</span>
                </>
              )}
            </Tab>
          );
        })}
      </TabList>
      <div role="tabpanel" aria-label={SERVICE_TAB_LABEL[p.tab]}>
        {p.tab === 'general' && <GeneralTab {...props} isNew={p.isNew} {...(p.onDelete ? { onDelete: p.onDelete } : {})} />}
        {p.tab === 'licenses' && <LicensesTab {...props} />}
        {p.tab === 'members' && <MembersTab {...props} />}
        {p.tab === 'distribution' && <DistributionTab {...props} />}
        {p.tab === 'hours' && <HoursTab {...props} />}
        {p.tab === 'interact' && <InteractTab {...props} />}
        {p.tab === 'whatsapp' && <WhatsAppTab {...props} />}
        {p.tab === 'chat' && <ChatTab {...props} />}
      </div>
    </section>
  );
}
