/** A new service as the Create dialog makes it: no licenses yet, IM off, open around the clock. */
import { DEFAULT_DISTRIBUTION, type ServiceConfig } from '@stratus/shared/tenant/model';
import { ALWAYS_OPEN } from '@stratus/shared/tenant/validate';
import { defaultImWorkflow } from '@stratus/shared/workflow/default-workflow';

export function newService(id: string, name: string): ServiceConfig {
  return {
    id,
    name,
    licenses: [],
    members: [],
    im: {
      enabled: false,
      workflowId: defaultImWorkflow.id,
      distribution: { ...DEFAULT_DISTRIBUTION, persistentRona: { ...DEFAULT_DISTRIBUTION.persistentRona } },
    },
    openingHours: { ...ALWAYS_OPEN, weekly: ALWAYS_OPEN.weekly.map((w) => ({ ...w })), exceptions: [] },
  };
}

/** `Billing & Payments` → `billing-payments`, made unique against `taken`. */
export function idFrom(name: string, taken: readonly string[]): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'item';
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}
