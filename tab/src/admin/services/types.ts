/** What every tab of the service editor is given. */
import type { ServiceConfig, UserConfig } from '@stratus/shared/tenant/model';

export interface EditorContext {
  /** The tenant's users (names, licenses); undefined when the caller may not read them (an owner). */
  users: UserConfig[] | undefined;
  /** Workflows a service may select, built-in ones included. */
  workflows: { id: string; name: string }[];
  /** Whether the tenant has a Twilio connector (WhatsApp and SMS need one); undefined: unknown. */
  twilioConfigured: boolean | undefined;
}

export interface ServiceTabProps {
  service: ServiceConfig;
  /** The service's path in the tenant document (`services[2]`), for its problems. */
  path: string;
  onChange: (fn: (s: ServiceConfig) => ServiceConfig) => void;
  /** Fields the caller may not change are shown, not editable. */
  readOnly: boolean;
  ctx: EditorContext;
}
