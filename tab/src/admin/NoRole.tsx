/** Signed in, but neither tenant admin nor service owner: what the page is for and whom to ask. Not an error. */
import { Link, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import type { AdminMe } from '@stratus/shared/contract/admin';

const useStyles = makeStyles({
  page: { padding: tokens.spacingHorizontalXXL, maxWidth: '560px', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export function NoRole({ me }: { me: AdminMe }) {
  const s = useStyles();
  return (
    <main className={s.page}>
      <Title2 as="h1">Stratus admin</Title2>
      <Text>
        Hello {me.displayName}. This page is for the people who set up Stratus in {me.tenantName}: you need the tenant-admin role, or be the
        owner of a service, to change anything here.
      </Text>
      <Text>
        To get one, ask a tenant admin of {me.tenantName} (your Teams or IT administrator knows who that is): they can make you a tenant
        admin, or the owner of a service, under Users & licenses and the service's General settings.
      </Text>
      {me.supervises.length > 0 && (
        <Text>
          You supervise {me.supervises.length === 1 ? 'a service' : `${me.supervises.length} services`}: its reporting is open to you.
        </Text>
      )}
      <Text>
        <Link href="/tab/">Go to My Sessions</Link>
      </Text>
    </main>
  );
}
