/** One colour per group, in the order of the series, shared by the page's charts. */
export const COLORS = ['#2f5d8a', '#b5651d', '#3c8d5a', '#8a2f6e', '#6b6b6b', '#1d8a8a'];
