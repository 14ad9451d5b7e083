/** Adds a user by typing their UPN and name (no directory here, or someone it does not list). */
import { useState } from 'react';
import { Button, Field, Input } from '@fluentui/react-components';
import { useFormStyles } from '../services/form.styles';

const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function AddByUpn({ isAdded, onAdd }: { isAdded: (upn: string) => boolean; onAdd: (upn: string, name: string) => void }) {
  const s = useFormStyles();
  const [upn, setUpn] = useState('');
  const [name, setName] = useState('');
  const problem =
    upn && !UPN.test(upn.trim()) ? 'A UPN looks like carol@contoso.com.' : upn && isAdded(upn) ? 'Already a user here.' : undefined;
  return (
    <form
      className={s.row}
      onSubmit={(e) => {
        e.preventDefault();
        if (!upn || problem) return;
        onAdd(upn, name);
        setUpn('');
        setName('');
      }}
    >
      <Field label="UPN" className={s.grow} {...(problem ? { validationState: 'error' as const, validationMessage: problem } : {})}>
        <Input value={upn} onChange={(_e, d) => setUpn(d.value)} />
      </Field>
      <Field label="Display name" className={s.grow}>
        <Input value={name} onChange={(_e, d) => setName(d.value)} />
      </Field>
      <Button type="submit" disabled={!upn || !!problem}>
        Add user
      </Button>
    </form>
  );
}
