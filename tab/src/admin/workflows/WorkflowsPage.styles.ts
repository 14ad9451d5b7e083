/** Layout of the Workflows section: the list beside the open workflow's editor. */
import { makeStyles, tokens } from '@fluentui/react-components';

export const useWorkflowsPageStyles = makeStyles({
  root: {
    display: 'grid',
    gridTemplateColumns: 'minmax(200px, 260px) minmax(0, 1fr)',
    gap: tokens.spacingHorizontalXL,
    alignItems: 'start',
    color: tokens.colorNeutralForeground1,
    '@media (max-width: 700px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  empty: { color: tokens.colorNeutralForeground2 },
});
