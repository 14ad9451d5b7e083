/** Asks before a workflow is removed from the list (nothing is saved until the Admin page saves). */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components';

export interface DeleteWorkflowDialogProps {
  name?: string;
  onConfirm(): void;
  onCancel(): void;
}

export function DeleteWorkflowDialog({ name, onConfirm, onCancel }: DeleteWorkflowDialogProps) {
  return (
    <Dialog open={name !== undefined} onOpenChange={(_, d) => !d.open && onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Delete “{name}”?</DialogTitle>
          <DialogContent>No service uses it. It is gone once the configuration is saved.</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onConfirm}>
              Delete
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
