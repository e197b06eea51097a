/** A toolbar choice: a word, then a select of a fixed set of values (group, colour, theme, heat, sort). */
export function LabelledSelect<T extends string>(props: {
  label: string;
  value: T;
  values: readonly T[];
  onChange: (value: T) => void;
  testId: string;
  labels?: Readonly<Record<T, string>>;
  titles?: Readonly<Record<T, string>>;
}) {
  const { label, value, values, onChange, testId, labels, titles } = props;
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testId}>
        {values.map((v) => (
          <option key={v} value={v} title={titles?.[v]}>
            {labels?.[v] ?? v}
          </option>
        ))}
      </select>
    </label>
  );
}
