/** An admin's services: the list with New service, or one service's editor. */
import { Text, Title3 } from '@fluentui/react-components';
import type { TenantConfig } from '@stratus/shared/tenant/model';
import type { ServiceTab } from '../problems';
import { CreateServiceDialog } from './CreateServiceDialog';
import { entryOf } from './licensing';
import { newService } from './newService';
import { ServiceEditor } from './ServiceEditor';
import { ServiceList } from './ServiceList';
import type { EditorContext } from './types';
import { useFormStyles } from './form.styles';

export function ServicesSection(p: {
  tenant: TenantConfig;
  saved: TenantConfig;
  edit: (fn: (t: TenantConfig) => TenantConfig) => void;
  ctx: EditorContext;
  open: number | undefined;
  tab: ServiceTab;
  onOpen: (index: number | undefined, tab?: ServiceTab) => void;
}) {
  const s = useFormStyles();
  const service = p.open === undefined ? undefined : p.tenant.services[p.open];
  if (p.open !== undefined && service) {
    const i = p.open;
    return (
      <ServiceEditor
        service={service}
        index={i}
        access="all"
        ctx={p.ctx}
        tab={p.tab}
        onTab={(t) => p.onOpen(i, t)}
        isNew={!p.saved.services.some((x) => x.id === service.id)}
        onChange={(fn) => p.edit((t) => ({ ...t, services: t.services.map((x, j) => (j === i ? fn(x) : x)) }))}
        onDelete={() => {
          if (!window.confirm(`Delete the service "${service.name}"? It is removed when you save.`)) return;
          p.edit((t) => ({ ...t, services: t.services.filter((_x, j) => j !== i) }));
          p.onOpen(undefined);
        }}
        onBack={() => p.onOpen(undefined)}
      />
    );
  }
  return (
    <>
      <Title3 as="h2">Services</Title3>
      <Text className={s.note}>Each service has its members, channels, workflow, distribution and opening hours.</Text>
      <div>
        <CreateServiceDialog
          taken={p.tenant.services.map((x) => x.id)}
          onCreate={(id, name) => {
            p.edit((t) => ({ ...t, services: [...t.services, newService(id, name)] }));
            p.onOpen(p.tenant.services.length, 'general');
          }}
        />
      </div>
      <ServiceList services={p.tenant.services.map(entryOf)} onOpen={(_id, i) => p.onOpen(i, 'general')} />
    </>
  );
}
