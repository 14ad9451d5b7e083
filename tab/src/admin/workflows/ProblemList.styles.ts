/** Styles of the problem list under the graph. */
import { makeStyles, tokens } from '@fluentui/react-components';

export const useProblemListStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  heading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, padding: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  item: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  node: { fontWeight: tokens.fontWeightSemibold },
  message: { color: tokens.colorNeutralForeground1 },
  ok: { color: tokens.colorStatusSuccessForeground1 },
});
