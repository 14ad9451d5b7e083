/** The workflow editor, loaded only when this section opens (it brings the graph library with it). */
import { Component, lazy, Suspense, type ReactNode } from 'react';
import { MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import type { ConfigProblem } from '@stratus/shared/contract/admin';
import type { ServiceConfig } from '@stratus/shared/tenant/model';
import type { WorkflowDefinition } from '@stratus/shared/workflow/definition';

const WorkflowsPage = lazy(() => import('../workflows/WorkflowsPage'));

/** A chunk that fails to load (a deploy replaced it) says so instead of blanking the page. */
class LoadFailed extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? (
      <MessageBar intent="error" role="alert">
        <MessageBarBody>The workflow editor could not be loaded. Reload the page to try again.</MessageBarBody>
      </MessageBar>
    ) : (
      this.props.children
    );
  }
}

export function WorkflowsSection(p: {
  workflows: WorkflowDefinition[];
  onChange: (next: WorkflowDefinition[]) => void;
  problems: ConfigProblem[];
  services: ServiceConfig[];
}) {
  return (
    <LoadFailed>
      <Suspense fallback={<Spinner label="Loading the workflow editor" />}>
        <WorkflowsPage workflows={p.workflows} onChange={p.onChange} problems={p.problems} services={p.services} />
      </Suspense>
    </LoadFailed>
  );
}
