/**
 * An x axis of session numbers whose title sits in its own band below the tick labels: a title
 * drawn inside the axis at a negative offset lay over the ticks, at 1366 px and at 390 px alike.
 */
export const sessionAxis = (title: string) =>
  ({
    dataKey: 'session',
    height: 48,
    label: { value: title, position: 'insideBottom', offset: 4 },
  }) as const;
