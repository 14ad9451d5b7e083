/** Styles of the tenant's workflow list. */
import { makeStyles, tokens } from '@fluentui/react-components';

export const useWorkflowListStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  header: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, padding: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  item: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingVerticalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  // A border, not a selected background: high contrast gives that one a colour the text does not follow.
  open: { border: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}` },
  openButton: { justifyContent: 'flex-start', textAlign: 'start', minWidth: 0, paddingLeft: 0, paddingRight: 0 },
  title: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', minWidth: 0 },
  meta: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap', alignItems: 'center' },
});
