/** The tenant's users and their licenses, who is tenant admin, and adding people (directory or UPN). */
import { Table, TableBody, TableHeader, TableHeaderCell, TableRow, Text, Title3, mergeClasses } from '@fluentui/react-components';
import type { TenantConfig, UserLicense } from '@stratus/shared/tenant/model';
import type { AdminApi } from '../api';
import { ProblemGroup } from '../ProblemGroup';
import { USER_LICENSE_INFO } from '../services/licensing';
import { useFormStyles } from '../services/form.styles';
import { AddByUpn } from './AddByUpn';
import { DirectorySearch } from './DirectorySearch';
import { hasUser, newUser, referencesOf, removeUser } from './newUser';
import { UserRow } from './UserRow';

export function UsersSection({
  tenant,
  edit,
  api,
  directory,
  myId,
}: {
  tenant: TenantConfig;
  edit: (fn: (t: TenantConfig) => TenantConfig) => void;
  api: AdminApi;
  directory: boolean;
  myId: string;
}) {
  const s = useFormStyles();
  const admins = tenant.admins ?? [];
  const setLicense = (i: number, l: UserLicense, on: boolean) =>
    edit((t) => ({
      ...t,
      users: t.users.map((u, j) =>
        j === i ? { ...u, licenses: on ? [...new Set([...u.licenses, l])] : u.licenses.filter((x) => x !== l) } : u,
      ),
    }));
  const setAdmin = (id: string, on: boolean) =>
    edit((t) => ({ ...t, admins: on ? [...new Set([...(t.admins ?? []), id])] : (t.admins ?? []).filter((x) => x !== id) }));
  const remove = (id: string, name: string) => {
    const refs = referencesOf(tenant, id);
    const also = refs.length ? ` They are also taken out of ${refs.join(', ')}.` : '';
    const self = id === myId ? ' This is you: you lose admin access once this is saved.' : '';
    if (window.confirm(`Remove ${name} from Stratus?${also}${self}`)) edit((t) => removeUser(t, id));
  };
  return (
    <div className={mergeClasses(s.form, s.wide)}>
      <Title3 as="h2">Users & licenses</Title3>
      <ul className={s.list}>
        {(Object.keys(USER_LICENSE_INFO) as UserLicense[]).map((l) => (
          <li key={l}>
            <Text weight="semibold">{USER_LICENSE_INFO[l].label}: </Text>
            <Text>{USER_LICENSE_INFO[l].enables}</Text>
          </li>
        ))}
        <li>
          <Text weight="semibold">Tenant admin: </Text>
          <Text>changes everything on this page and reads every service's reporting.</Text>
        </li>
      </ul>
      <ProblemGroup label="Users" path="=users">
        <Table size="small" aria-label="Users">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>User</TableHeaderCell>
              <TableHeaderCell>{USER_LICENSE_INFO.im.label}</TableHeaderCell>
              <TableHeaderCell>{USER_LICENSE_INFO.interactUser.label}</TableHeaderCell>
              <TableHeaderCell>Tenant admin</TableHeaderCell>
              <TableHeaderCell>
                <span className={s.srOnly}>Actions</span>
              </TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {tenant.users.map((u, i) => (
              <UserRow
                key={`${i}-${u.id}`}
                user={u}
                index={i}
                admin={admins.includes(u.id)}
                adminIndex={admins.indexOf(u.id)}
                onLicense={(l, on) => setLicense(i, l, on)}
                onAdmin={(on) => setAdmin(u.id, on)}
                onRemove={() => remove(u.id, u.displayName)}
              />
            ))}
          </TableBody>
        </Table>
      </ProblemGroup>
      <ProblemGroup label="Tenant admins" path="=admins">
        <Text>{admins.map((id) => tenant.users.find((u) => u.id === id)?.displayName ?? id).join(', ') || 'Nobody'}</Text>
      </ProblemGroup>
      <Title3 as="h3">Add a user</Title3>
      {directory ? (
        <DirectorySearch
          api={api}
          isAdded={(d) => hasUser(tenant, d.upn, d.id)}
          onAdd={(d) => edit((t) => (hasUser(t, d.upn, d.id) ? t : { ...t, users: [...t.users, newUser(t, d.upn, d.displayName, d.id)] }))}
        />
      ) : (
        <Text className={s.note}>The directory cannot be searched from this server: add people by UPN.</Text>
      )}
      <AddByUpn
        isAdded={(upn) => hasUser(tenant, upn)}
        onAdd={(upn, name) => edit((t) => ({ ...t, users: [...t.users, newUser(t, upn, name)] }))}
      />
    </div>
  );
}
