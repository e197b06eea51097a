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

/** The label of each value of a fixed set, e.g. translated: `labelsFor(groupings, (g) => t(\`toolbar.groupBy.${g}\`))`. */
export function labelsFor<T extends string>(
  values: readonly T[],
  label: (value: T) => string,
): Record<T, string> {
  return Object.fromEntries(values.map((v) => [v, label(v)])) as Record<T, string>;
}
