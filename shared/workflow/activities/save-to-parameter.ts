/** Save to Parameter: stores a templated value in a parameter. */
import { render } from '../template';
import { fixed, needString, next, setParam, str, type Activity } from './activity';

export const saveToParameterActivity: Activity = {
  kind: 'saveToParameter',
  imSupported: true,
  ...fixed(['next']),
  validate: (p) => [...needString(p, 'parameter'), ...(typeof p.value === 'string' ? [] : ['parameter "value" is required'])],
  run: ({ p, snap, ctx }) => next([setParam(snap, str(p, 'parameter') ?? '', render(str(p, 'value') ?? '', snap.params, ctx))]),
};
