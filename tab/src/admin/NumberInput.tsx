/**
 * A whole-number input that keeps what is typed while it is not yet a number, so a half-typed
 * value is not replaced under the cursor; the value reaches the draft once it parses.
 */
import { useEffect, useState } from 'react';
import { Input, type InputProps } from '@fluentui/react-components';

export function NumberInput({
  value,
  onValue,
  min,
  max,
  ...props
}: Omit<InputProps, 'value' | 'onChange' | 'type' | 'min' | 'max'> & {
  value: number;
  onValue: (n: number) => void;
  min: number;
  max: number;
}) {
  const [text, setText] = useState(String(value));
  useEffect(() => {
    setText((t) => (Number(t) === value && t.trim() !== '' ? t : String(value)));
  }, [value]);
  return (
    <Input
      {...props}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      value={text}
      onChange={(_e, d) => {
        setText(d.value);
        if (/^\d+$/.test(d.value.trim())) onValue(Number(d.value));
      }}
    />
  );
}
