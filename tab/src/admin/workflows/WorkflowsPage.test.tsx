/** @jest-environment jsdom */
import { useState } from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { ConfigProblem } from '../../../../shared/contract/admin';
import { demoTenant } from '../../../../shared/tenant/demo';
import type { ServiceConfig } from '../../../../shared/tenant/model';
import { defaultImWorkflow } from '../../../../shared/workflow/default-workflow';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';

// jest has no CSS loader: the stylesheet xyflow needs is a bundler concern.
jest.mock('@xyflow/react/dist/style.css', () => ({}));
import WorkflowsPage from './WorkflowsPage';

// What xyflow needs from a browser that jsdom lacks.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
class DOMMatrixReadOnlyStub {
  m22: number;
  constructor(transform?: string) {
    const scale = transform?.match(/scale\(([1-9.])\)/)?.[1];
    this.m22 = scale !== undefined ? Number(scale) : 1;
  }
}
beforeAll(() => {
  Object.assign(globalThis, { ResizeObserver: ResizeObserverStub, DOMMatrixReadOnly: DOMMatrixReadOnlyStub });
});

const services: ServiceConfig[] = demoTenant().services;
const spare: WorkflowDefinition = { ...defaultImWorkflow, id: 'spare', name: 'Spare workflow' };

function renderPage(
  props: {
    workflows?: WorkflowDefinition[];
    problems?: ConfigProblem[];
    onChange?: (w: WorkflowDefinition[]) => void;
    readOnly?: boolean;
  } = {},
) {
  const onChange = jest.fn(props.onChange);
  function Host() {
    const [workflows, setWorkflows] = useState(props.workflows ?? [defaultImWorkflow, spare]);
    return (
      <FluentProvider theme={webLightTheme}>
        <WorkflowsPage
          workflows={workflows}
          services={services}
          problems={props.problems ?? []}
          readOnly={props.readOnly ?? false}
          onChange={(next) => {
            onChange(next);
            setWorkflows(next);
          }}
        />
      </FluentProvider>
    );
  }
  const view = render(<Host />);
  return { ...view, onChange };
}

/** The graph's element for a node (xyflow marks it with data-id). */
function graphNode(container: HTMLElement, id: string): HTMLElement {
  const el = container.querySelector<HTMLElement>(`.react-flow__node[data-id="${id}"]`);
  if (!el) throw new Error(`no graph node ${id}`);
  return el;
}

test('the list says which services use each workflow and refuses to delete a used one, naming them', async () => {
  const { onChange } = renderPage();
  const list = screen.getByRole('navigation', { name: 'Workflows' });
  const items = within(list).getAllByRole('listitem');
  expect(items[0]!.textContent).toContain('Used by Support and Sales');
  expect(items[1]!.textContent).toContain('Not used by any service');

  fireEvent.click(within(list).getByRole('button', { name: 'Delete Default IM workflow' }));
  expect(screen.getByRole('alert').textContent).toContain('the services Support and Sales use it');
  expect(onChange).not.toHaveBeenCalled();

  fireEvent.click(within(list).getByRole('button', { name: 'Delete Spare workflow' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
  expect(onChange).toHaveBeenLastCalledWith([defaultImWorkflow]);
});

test('New workflow starts from the default IM workflow; Duplicate copies the open one', () => {
  const { onChange } = renderPage({ workflows: [defaultImWorkflow] });
  fireEvent.click(screen.getByRole('button', { name: 'New workflow' }));
  const created = onChange.mock.lastCall![0] as WorkflowDefinition[];
  expect(created[1]).toMatchObject({ id: 'new-workflow', name: 'New workflow', start: 'accept', nodes: defaultImWorkflow.nodes });
  expect((screen.getByRole('textbox', { name: 'Workflow name' }) as HTMLInputElement).value).toBe('New workflow');

  fireEvent.change(screen.getByRole('textbox', { name: 'Workflow name' }), { target: { value: 'After hours' } });
  expect((onChange.mock.lastCall![0] as WorkflowDefinition[])[1]!.name).toBe('After hours');

  fireEvent.click(screen.getByRole('button', { name: 'Duplicate Default IM workflow' }));
  expect((onChange.mock.lastCall![0] as WorkflowDefinition[]).map((w) => w.id)).toEqual(['default-im', 'new-workflow', 'default-im-copy']);
});

test('selecting a node on the graph opens its settings; editing a setting calls onChange with the new definition', async () => {
  const { container, onChange } = renderPage();
  const node = graphNode(container, 'welcome');
  expect(node.getAttribute('aria-label')).toBe('Message "welcome"');
  fireEvent.click(node);
  const settings = await screen.findByRole('tabpanel', { name: 'Settings' });
  await within(settings).findByRole('heading', { name: 'Message “welcome”' });
  fireEvent.change(within(settings).getByRole('textbox', { name: /Text/ }), { target: { value: 'Hi {{Customer.DisplayName}}!' } });
  const next = onChange.mock.lastCall![0] as WorkflowDefinition[];
  expect(next[0]!.nodes.welcome).toEqual({
    activity: 'message',
    params: { ...defaultImWorkflow.nodes.welcome!.params, text: 'Hi {{Customer.DisplayName}}!' },
    exits: { next: 'wait' },
  });
  // The translations are fields of their own: clearing the German one drops it, the French stays.
  fireEvent.change(within(settings).getByRole('textbox', { name: /German translation/ }), { target: { value: '' } });
  const cleared = (onChange.mock.lastCall![0] as WorkflowDefinition[])[0]!.nodes.welcome!.params!;
  expect(cleared).not.toHaveProperty('text_de');
  expect(cleared.text_fr).toBe(defaultImWorkflow.nodes.welcome!.params!.text_fr);
  expect(next[0]!.nodes.hours).toBe(defaultImWorkflow.nodes.hours);
  expect(next[1]).toBe(spare);

  // An exit's target, chosen with the keyboard-friendly select, replaces the connection.
  fireEvent.change(within(settings).getByRole('combobox', { name: /Exit "next" leads to/ }), { target: { value: 'bye' } });
  expect((onChange.mock.lastCall![0] as WorkflowDefinition[])[0]!.nodes.welcome!.exits).toEqual({ next: 'bye' });
});

test('Delete on a selected node removes it and every exit that led to it; the start node stays', async () => {
  const { container, onChange } = renderPage();
  fireEvent.click(graphNode(container, 'position'));
  await screen.findByRole('heading', { name: 'Message “position”' });
  fireEvent.keyDown(graphNode(container, 'position'), { key: 'Delete' });
  await waitFor(() => expect(onChange).toHaveBeenCalled());
  const next = (onChange.mock.lastCall![0] as WorkflowDefinition[])[0]!;
  expect(next.nodes.position).toBeUndefined();
  expect(next.nodes.check!.exits).toEqual({ connected: 'idle', notQueued: 'idle' });
  await waitFor(() => expect(container.querySelector('.react-flow__node[data-id="position"]')).toBeNull());

  onChange.mockClear();
  fireEvent.click(graphNode(container, 'accept'));
  fireEvent.keyDown(graphNode(container, 'accept'), { key: 'Delete' });
  await act(async () => {});
  expect(onChange).not.toHaveBeenCalled();
});

test('the palette adds an activity and opens its settings', async () => {
  const { onChange } = renderPage();
  fireEvent.click(screen.getByRole('button', { name: 'Add activity' }));
  fireEvent.click(await screen.findByRole('menuitem', { name: 'Delay' }));
  expect((onChange.mock.lastCall![0] as WorkflowDefinition[])[0]!.nodes.delay).toEqual({ activity: 'delay' });
  await screen.findByRole('heading', { name: 'Delay “delay”' });
  fireEvent.change(screen.getByRole('spinbutton', { name: /Seconds/ }), { target: { value: '45' } });
  expect((onChange.mock.lastCall![0] as WorkflowDefinition[])[0]!.nodes.delay).toEqual({ activity: 'delay', params: { seconds: 45 } });
});

test('read-only: no list actions, no palette, settings disabled; the test run still works', async () => {
  const { container, onChange } = renderPage({ readOnly: true });
  expect(screen.queryByRole('button', { name: 'New workflow' })).toBeNull();
  expect(screen.queryByRole('button', { name: /^Delete/ })).toBeNull();
  expect((screen.getByRole('button', { name: 'Add activity' }) as HTMLButtonElement).disabled).toBe(true);
  fireEvent.click(graphNode(container, 'welcome'));
  const settings = await screen.findByRole('tabpanel', { name: 'Settings' });
  await within(settings).findByRole('heading', { name: 'Message “welcome”' });
  expect((within(settings).getByRole('textbox', { name: /Text/ }) as HTMLTextAreaElement).disabled).toBe(true);
  const panel = await startTestRun('open');
  expect(within(panel).getByRole('status', { name: 'Test run state' }).textContent).toContain('Queued');
  expect(onChange).not.toHaveBeenCalled();
});

test("a server problem's path is shown on its node, and choosing it in the list selects that node", async () => {
  const { container } = renderPage({
    problems: [{ path: 'workflows[0].nodes.hours.exits.open', message: 'exit "open" is not allowed here' }],
  });
  const hours = graphNode(container, 'hours');
  expect(hours.getAttribute('aria-label')).toBe('Check Opening Hours "hours", 1 problem');
  expect(hours.querySelector('[data-problems="1"]')).not.toBeNull();
  expect(graphNode(container, 'queue').getAttribute('aria-label')).toBe('Queue Task "queue"');

  const problems = screen.getByRole('region', { name: 'Problems (1)' });
  expect(problems.textContent).toContain('exits.open: exit "open" is not allowed here');
  fireEvent.click(within(problems).getByRole('button', { name: 'hours' }));
  const heading = await screen.findByRole('heading', { name: 'Check Opening Hours “hours”' });
  await waitFor(() => expect(document.activeElement).toBe(heading));
  expect(within(screen.getByRole('tabpanel', { name: 'Settings' })).getByRole('list', { name: 'Problems of hours' }).textContent).toContain(
    'not allowed here',
  );
});

test('live validation lists new problems by node and flags activities not supported for IM', () => {
  const broken: WorkflowDefinition = {
    ...spare,
    nodes: { ...spare.nodes, welcome: { activity: 'voiceMessage', exits: { next: 'wait' } } },
  };
  const { container } = renderPage({ workflows: [broken] });
  expect(graphNode(container, 'welcome').textContent).toContain('Not for IM');
  const problems = screen.getByRole('region', { name: /^Problems/ });
  expect(problems.textContent).toContain('activity "voiceMessage" is not supported for Instant Messaging');
  expect(within(problems).getByRole('button', { name: 'welcome' })).toBeTruthy();
});

async function startTestRun(hours: string) {
  fireEvent.click(screen.getByRole('tab', { name: 'Test run' }));
  const panel = screen.getByRole('tabpanel', { name: 'Test run' });
  fireEvent.change(within(panel).getByRole('combobox', { name: 'Opening hours' }), { target: { value: hours } });
  fireEvent.click(within(panel).getByRole('button', { name: 'Start test run' }));
  return panel;
}

test('a test run of the default IM workflow during opening hours ends queued', async () => {
  renderPage();
  const panel = await startTestRun('open');
  const state = within(panel).getByRole('status', { name: 'Test run state' });
  expect(state.textContent).toMatch(/Queued.*Queued for Support at priority normal/);
  expect(within(panel).getByRole('log', { name: 'Transcript' }).textContent).toContain('You are in the queue for Support');

  fireEvent.click(within(panel).getByRole('button', { name: 'Skip the wait' }));
  expect(within(panel).getByRole('log', { name: 'Transcript' }).textContent).toContain('You are number 1 in the queue');
});

test('a test run in closed hours takes the closed exit and ends', async () => {
  renderPage();
  const panel = await startTestRun('closed');
  expect(within(panel).getByRole('log', { name: 'Transcript' }).textContent).toContain('Support is closed right now');
  expect(within(panel).getByRole('status', { name: 'Test run state' }).textContent).toMatch(/^Ended/);
});

test('the customer reply box feeds a waiting question', async () => {
  const menu: WorkflowDefinition = {
    id: 'menu',
    name: 'Menu',
    start: 'ask',
    nodes: {
      ask: {
        activity: 'collectInformation',
        params: { prompt: 'Your email?', parameter: 'Customer.Email', validation: 'email' },
        exits: { ok: 'thanks', failed: 'bye' },
      },
      thanks: { activity: 'message', params: { text: 'Thanks, {{Customer.Email}}' }, exits: { next: 'bye' } },
      bye: { activity: 'disconnect' },
    },
  };
  renderPage({ workflows: [menu] });
  const panel = await startTestRun('open');
  const box = within(panel).getByRole('textbox', { name: "Customer's reply" });
  fireEvent.change(box, { target: { value: 'carol@example.com' } });
  act(() => {
    fireEvent.keyDown(box, { key: 'Enter' });
  });
  expect(within(panel).getByRole('log', { name: 'Transcript' }).textContent).toContain('Thanks, carol@example.com');
});
