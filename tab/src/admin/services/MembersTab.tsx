/** A service's members: who receives its chats, each with the per-service Active switch. */
import { useState } from 'react';
import { Button, Field, Input, Select, Table, TableBody, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { mayUserReceiveIm } from '@stratus/shared/licensing/user';
import { ProblemGroup } from '../ProblemGroup';
import { MemberRow } from './MemberRow';
import { useFormStyles } from './form.styles';
import type { ServiceTabProps } from './types';

export function MembersTab({ service, path, onChange, ctx }: ServiceTabProps) {
  const s = useFormStyles();
  const [pick, setPick] = useState('');
  const users = ctx.users;
  const candidates = users?.filter((u) => !service.members.some((m) => m.userId === u.id)) ?? [];
  const add = (userId: string) => {
    if (!userId || service.members.some((m) => m.userId === userId)) return;
    onChange((x) => ({ ...x, members: [...x.members, { userId, active: true }] }));
    setPick('');
  };
  return (
    <div className={s.form}>
      <ProblemGroup
        label="Members"
        path={`${path}.members`}
        hint="Active: the member receives this service's chats. Members switch this themselves in My Sessions too."
      >
        <Table size="small" aria-label="Members">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Active</TableHeaderCell>
              <TableHeaderCell>Notes</TableHeaderCell>
              <TableHeaderCell>
                <span className={s.srOnly}>Actions</span>
              </TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {service.members.map((m, i) => (
              <MemberRow
                key={m.userId}
                path={`${path}.members[${i}]`}
                name={users?.find((u) => u.id === m.userId)?.displayName ?? m.userId}
                upn={users?.find((u) => u.id === m.userId)?.upn}
                licenseNote={(() => {
                  const u = users?.find((x) => x.id === m.userId);
                  const d = u && mayUserReceiveIm(u);
                  return d && !d.allowed ? d.message : undefined;
                })()}
                active={m.active}
                onActive={(active) => onChange((x) => ({ ...x, members: x.members.map((y, j) => (j === i ? { ...y, active } : y)) }))}
                onRemove={() => onChange((x) => ({ ...x, members: x.members.filter((_y, j) => j !== i) }))}
              />
            ))}
          </TableBody>
        </Table>
        {service.members.length === 0 && <Text className={s.note}>No members yet: nobody receives this service's chats.</Text>}
      </ProblemGroup>
      <div className={s.row}>
        {users ? (
          <Field label="Add a member" className={s.grow}>
            <Select value={pick} onChange={(_e, d) => setPick(d.value)}>
              <option value="">Choose a user</option>
              {candidates.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName} ({u.upn})
                </option>
              ))}
            </Select>
          </Field>
        ) : (
          <Field label="Add a member by user id" className={s.grow}>
            <Input value={pick} onChange={(_e, d) => setPick(d.value.trim())} />
          </Field>
        )}
        <Button disabled={!pick} onClick={() => add(pick)}>
          Add
        </Button>
      </div>
      {users && (
        <Text size={200} className={s.note}>
          Only the tenant's users can be members: a tenant admin adds people under Users & licenses.
        </Text>
      )}
    </div>
  );
}
