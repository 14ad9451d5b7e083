/** @jest-environment jsdom */
import { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { ServiceConfig } from '@stratus/shared/tenant/model';
import { parseTenant } from '@stratus/shared/tenant/validate';
import { ProblemsProvider } from '../ProblemsContext';
import { ChatTab } from './ChatTab';

function Harness({ onService, problems = [] }: { onService: (s: ServiceConfig) => void; problems?: { path: string; message: string }[] }) {
  const [service, setService] = useState<ServiceConfig>(demoTenant().services[0]!);
  return (
    <FluentProvider theme={webLightTheme}>
      <ProblemsProvider problems={problems}>
        <ChatTab
          service={service}
          path="services[0]"
          readOnly={false}
          ctx={{ users: undefined, workflows: [], twilioConfigured: true }}
          onChange={(fn) =>
            setService((s) => {
              const next = fn(s);
              onService(next);
              return next;
            })
          }
        />
      </ProblemsProvider>
    </FluentProvider>
  );
}

test('the Chat tab writes im.chat as the validation reads it, and drops what is switched off', () => {
  let last: ServiceConfig | undefined;
  render(<Harness onService={(s) => (last = s)} />);
  fireEvent.change(screen.getByRole('spinbutton', { name: /Warn a silent customer/ }), { target: { value: '60' } });
  fireEvent.change(screen.getByRole('spinbutton', { name: /Then close the chat/ }), { target: { value: '120' } });
  fireEvent.click(screen.getByRole('switch', { name: /On|Off/ }));
  fireEvent.change(screen.getByRole('textbox', { name: /Outcome reasons/ }), { target: { value: 'Callback promised\n\nRefund\n' } });
  fireEvent.change(screen.getByRole('textbox', { name: 'Name' }), { target: { value: 'Hello' } });
  fireEvent.change(screen.getByRole('textbox', { name: 'Title' }), { target: { value: 'Greeting' } });
  fireEvent.change(screen.getByRole('textbox', { name: 'Text' }), { target: { value: 'Hi {customer}' } });
  fireEvent.click(screen.getByRole('button', { name: 'Add response' }));
  fireEvent.change(screen.getByRole('textbox', { name: /End keywords/ }), { target: { value: 'stop, ' } });
  expect((screen.getByRole('textbox', { name: /End keywords/ }) as HTMLInputElement).value).toBe('stop, ');
  expect(last!.im.chat).toEqual({
    inactivity: { customerWarnSec: 60, customerCloseSec: 120 },
    wrapUp: { seconds: 60, reasons: ['Callback promised', 'Refund'] },
    cannedResponses: [{ id: 'hello', title: 'Greeting', text: 'Hi {customer}' }],
    endKeywords: ['stop'],
  });
  const t = demoTenant();
  expect(parseTenant({ ...t, services: [last!, ...t.services.slice(1)] }).ok).toBe(true);
  // Everything off again: no `chat` left.
  fireEvent.change(screen.getByRole('spinbutton', { name: /Warn a silent customer/ }), { target: { value: '0' } });
  fireEvent.change(screen.getByRole('spinbutton', { name: /Then close the chat/ }), { target: { value: '0' } });
  fireEvent.click(screen.getByRole('switch', { name: /On|Off/ }));
  fireEvent.click(screen.getByRole('button', { name: 'Remove /hello' }));
  fireEvent.change(screen.getByRole('textbox', { name: /End keywords/ }), { target: { value: '' } });
  expect(last!.im.chat).toBeUndefined();
});

test('a problem of the chat settings shows beside its field', () => {
  render(
    <Harness
      onService={() => undefined}
      problems={[{ path: 'services[0].im.chat.inactivity.agentFlagSec', message: 'must be 0 (off) or at least 30 seconds' }]}
    />,
  );
  expect(screen.getByText('must be 0 (off) or at least 30 seconds')).toBeTruthy();
});
