/** Asks for a new service's name and id; the service joins the working copy and is saved with it. */
import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
} from '@fluentui/react-components';
import { idFrom } from './newService';

const ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function CreateServiceDialog({ taken, onCreate }: { taken: readonly string[]; onCreate: (id: string, name: string) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [id, setId] = useState<string>();
  const theId = id ?? idFrom(name, taken);
  const idProblem = !ID.test(theId)
    ? 'Lowercase letters, digits, "-" and "_", starting with a letter or digit.'
    : taken.includes(theId)
      ? `A service "${theId}" already exists.`
      : undefined;
  const ok = name.trim() !== '' && !idProblem;
  const create = () => {
    if (!ok) return;
    onCreate(theId, name.trim());
    setOpen(false);
    setName('');
    setId(undefined);
  };
  return (
    <Dialog open={open} onOpenChange={(_e, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="primary">New service</Button>
      </DialogTrigger>
      <DialogSurface>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create();
          }}
        >
          <DialogBody>
            <DialogTitle>New service</DialogTitle>
            <DialogContent>
              <Field label="Name" required>
                <Input value={name} onChange={(_e, d) => setName(d.value)} />
              </Field>
              <Field
                label="Id"
                hint="Used in reports and the configuration file; it cannot be changed once saved."
                {...(name && idProblem ? { validationState: 'error' as const, validationMessage: idProblem } : {})}
              >
                <Input value={theId} onChange={(_e, d) => setId(d.value)} />
              </Field>
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>Cancel</Button>
              </DialogTrigger>
              <Button appearance="primary" type="submit" disabled={!ok}>
                Create
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
