/** Signed in, but supervising no service: what the page is for and whom to ask. Not an error. */
import { Link, Text, Title2 } from '@fluentui/react-components';
import { useSupervisorStyles } from './styles';

export function NotSupervisor({ message }: { message: string }) {
  const s = useSupervisorStyles();
  return (
    <main className={s.main} style={{ maxWidth: 600 }}>
      <Title2 as="h1">Supervisor</Title2>
      <Text>
        This page is for the supervisors and owners of a service, and for tenant admins: it shows their services' queues, agents and open
        chats live, and their reports.
      </Text>
      <Text>You do not supervise any service, so there is nothing to show you here. ({message})</Text>
      <Text>
        To get access, ask a tenant admin: they can add you as a supervisor of a service in the Admin page, under the service's General
        settings.
      </Text>
      <Text>
        <Link href="/tab/">Go to My Sessions</Link>
      </Text>
    </main>
  );
}
