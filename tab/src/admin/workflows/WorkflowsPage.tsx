/**
 * The Workflows section of the Admin page: the tenant's workflows and a visual editor of the open
 * one (graph, settings, live validation, test run). The Admin page lazy-loads this module (it
 * brings @xyflow/react, which nothing outside this folder imports) and owns saving: every edit
 * goes to `onChange` with the whole new list.
 */
import { useState } from 'react';
import { Text } from '@fluentui/react-components';
import type { ConfigProblem } from '../../../../shared/contract/admin';
import type { ServiceConfig } from '../../../../shared/tenant/model';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { defaultImWorkflow } from '../../../../shared/workflow/default-workflow';
import { WorkflowEditor } from './WorkflowEditor';
import { WorkflowList } from './WorkflowList';
import { duplicateWorkflow, uniqueId, workflowFrom } from './workflow-edits';
import { useWorkflowsPageStyles } from './WorkflowsPage.styles';

export interface WorkflowsPageProps {
  workflows: WorkflowDefinition[];
  onChange(next: WorkflowDefinition[]): void;
  /** The server's validation problems, by path in the tenant document (`workflows[2].nodes.hours.exits.open`). */
  problems: ConfigProblem[];
  services: ServiceConfig[];
  readOnly?: boolean;
}

export default function WorkflowsPage({ workflows, onChange, problems, services, readOnly = false }: WorkflowsPageProps) {
  const styles = useWorkflowsPageStyles();
  const [openId, setOpenId] = useState<string | undefined>(workflows[0]?.id);
  const index = Math.max(
    0,
    workflows.findIndex((w) => w.id === openId),
  );
  const open = workflows[index];

  const create = () => {
    const name = uniqueId(
      'New workflow',
      workflows.map((w) => w.name),
      ' ',
    );
    const def = workflowFrom(defaultImWorkflow, name, workflows);
    onChange([...workflows, def]);
    setOpenId(def.id);
  };
  const duplicate = (id: string) => {
    const source = workflows.find((w) => w.id === id);
    if (!source) return;
    const copy = duplicateWorkflow(source, workflows);
    onChange([...workflows, copy]);
    setOpenId(copy.id);
  };
  const remove = (id: string) => {
    const next = workflows.filter((w) => w.id !== id);
    onChange(next);
    if (id === open?.id) setOpenId(next[0]?.id);
  };

  return (
    <div className={styles.root}>
      <WorkflowList
        workflows={workflows}
        services={services}
        {...(open ? { openId: open.id } : {})}
        readOnly={readOnly}
        onOpen={setOpenId}
        onCreate={create}
        onDuplicate={duplicate}
        onDelete={remove}
      />
      {open ? (
        <WorkflowEditor
          key={open.id}
          def={open}
          index={index}
          problems={problems}
          services={services}
          readOnly={readOnly}
          onChange={(def) => onChange(workflows.map((w, i) => (i === index ? def : w)))}
        />
      ) : (
        <Text className={styles.empty}>Create a workflow to edit it here.</Text>
      )}
    </div>
  );
}
