/**
 * The tenant's workflows: which services use each and how many problems it has; open, create,
 * duplicate, delete. Deleting a workflow a service uses is refused, naming the services.
 */
import { useId, useState } from 'react';
import { Badge, Button, Caption1, MessageBar, MessageBarBody, Text, mergeClasses } from '@fluentui/react-components';
import type { ServiceConfig } from '../../../../shared/tenant/model';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { imSupportProblems, validateWorkflow } from '../../../../shared/workflow/validate';
import { DeleteWorkflowDialog } from './DeleteWorkflowDialog';
import { servicesUsing } from './workflow-edits';
import { useWorkflowListStyles } from './WorkflowList.styles';

export interface WorkflowListProps {
  workflows: readonly WorkflowDefinition[];
  services: readonly ServiceConfig[];
  openId?: string;
  readOnly: boolean;
  onOpen(id: string): void;
  onCreate(): void;
  onDuplicate(id: string): void;
  onDelete(id: string): void;
}

/** "A", "A and B", "A, B and C". */
export function namesList(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function WorkflowList({ workflows, services, openId, readOnly, onOpen, onCreate, onDuplicate, onDelete }: WorkflowListProps) {
  const styles = useWorkflowListStyles();
  const headingId = useId();
  const [refusal, setRefusal] = useState<string>();
  const [confirm, setConfirm] = useState<WorkflowDefinition>();

  const askDelete = (w: WorkflowDefinition) => {
    const users = servicesUsing(services, w.id);
    if (users.length) {
      const names = namesList(users.map((s) => s.name));
      setRefusal(
        `“${w.name}” cannot be deleted: ${users.length === 1 ? 'the service' : 'the services'} ${names} ${users.length === 1 ? 'uses' : 'use'} it. Choose another workflow for ${users.length === 1 ? 'it' : 'them'} first.`,
      );
      return;
    }
    setRefusal(undefined);
    setConfirm(w);
  };

  return (
    <nav className={styles.root} aria-labelledby={headingId}>
      <div className={styles.header}>
        <h2 id={headingId} className={styles.heading}>
          Workflows
        </h2>
        {!readOnly && (
          <Button appearance="primary" size="small" onClick={onCreate}>
            New workflow
          </Button>
        )}
      </div>
      {refusal && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{refusal}</MessageBarBody>
        </MessageBar>
      )}
      {workflows.length === 0 && <Text>No workflows yet.</Text>}
      <ul className={styles.list}>
        {workflows.map((w) => {
          const users = servicesUsing(services, w.id);
          const problems = validateWorkflow(w).length + imSupportProblems(w).length;
          const open = w.id === openId;
          return (
            <li key={w.id} className={mergeClasses(styles.item, open && styles.open)}>
              <Button
                appearance="transparent"
                className={styles.openButton}
                aria-current={open ? 'true' : undefined}
                onClick={() => onOpen(w.id)}
              >
                <span className={styles.title}>
                  <Text weight="semibold">{w.name}</Text>
                  <Caption1 className={styles.meta}>{w.id}</Caption1>
                </span>
              </Button>
              <Caption1 className={styles.meta}>
                {users.length ? `Used by ${namesList(users.map((s) => s.name))}` : 'Not used by any service'}
              </Caption1>
              <div className={styles.actions}>
                {problems > 0 && (
                  <Badge size="small" color="danger" appearance="tint">
                    {problems} problem{problems === 1 ? '' : 's'}
                  </Badge>
                )}
                {!readOnly && (
                  <>
                    <Button size="small" appearance="subtle" aria-label={`Duplicate ${w.name}`} onClick={() => onDuplicate(w.id)}>
                      Duplicate
                    </Button>
                    <Button size="small" appearance="subtle" aria-label={`Delete ${w.name}`} onClick={() => askDelete(w)}>
                      Delete
                    </Button>
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      <DeleteWorkflowDialog
        {...(confirm ? { name: confirm.name } : {})}
        onCancel={() => setConfirm(undefined)}
        onConfirm={() => {
          if (confirm) onDelete(confirm.id);
          setConfirm(undefined);
        }}
      />
    </nav>
  );
}
