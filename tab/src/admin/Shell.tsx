/**
 * The Admin page's frame: a header with the unsaved-changes indicator and Save, the status bars
 * (conflict, problems, errors), a keyboard-usable section list on the left and the section.
 */
import type { ReactNode } from 'react';
import { Badge, Button, Link, Spinner, Tab, TabList, Text, Title3 } from '@fluentui/react-components';
import type { AdminMe } from '@stratus/shared/contract/admin';
import { useShellStyles } from './Shell.styles';

export interface SectionItem<S extends string> {
  value: S;
  label: string;
  /** Problems in that section, shown as a count. */
  problems?: number;
}

export function Shell<S extends string>(p: {
  me: AdminMe;
  dirty: boolean;
  saving: boolean;
  onSave?: () => void;
  saveLabel?: string;
  bars: ReactNode;
  sections: SectionItem<S>[];
  section: S;
  onSection: (s: S) => void;
  children: ReactNode;
}) {
  const s = useShellStyles();
  return (
    <div className={s.page}>
      <header className={s.header}>
        <Title3 as="h1">Stratus admin</Title3>
        <Text className={s.muted}>
          {p.me.tenantName} · {p.me.displayName} · {p.me.admin ? 'tenant admin' : 'service owner'}
        </Text>
        <span className={s.spacer} />
        {p.dirty && (
          <Badge color="warning" appearance="tint" role="status">
            Unsaved changes
          </Badge>
        )}
        {p.saving && <Spinner size="tiny" label="Saving" />}
        {p.onSave && (
          <Button appearance="primary" disabled={!p.dirty || p.saving} onClick={p.onSave}>
            {p.saveLabel ?? 'Save'}
          </Button>
        )}
        <Link
          href="/tab/"
          onClick={(e) => {
            if (p.dirty && !window.confirm('You have unsaved changes. Leave without saving them?')) e.preventDefault();
          }}
        >
          My Sessions
        </Link>
      </header>
      <div className={s.bars}>{p.bars}</div>
      <div className={s.body}>
        <nav className={s.nav} aria-label="Admin sections">
          <TabList vertical selectedValue={p.section} onTabSelect={(_e, d) => p.onSection(d.value as S)}>
            {p.sections.map((x) => (
              <Tab key={x.value} value={x.value} className={s.navTab}>
                {x.label}
                {x.problems ? (
                  <>
                    {' '}
                    <Badge size="small" color="danger">
                      {x.problems}
                    </Badge>
                    <span className={s.srOnly}> problem{x.problems === 1 ? '' : 's'}</span>
                  </>
                ) : null}
              </Tab>
            ))}
          </TabList>
        </nav>
        <main className={s.main} aria-label={p.sections.find((x) => x.value === p.section)?.label}>
          {p.children}
        </main>
      </div>
    </div>
  );
}
