/** ClickHouse DateTime64(3) text (`YYYY-MM-DD hh:mm:ss.sss`, UTC) from an ISO timestamp. */
export function toClickHouseTime(iso: string): string {
  return iso.replace('T', ' ').replace('Z', '');
}

/** ISO timestamp (UTC, ms) from ClickHouse DateTime64(3) text. */
export function fromClickHouseTime(text: string): string {
  return `${text.replace(' ', 'T')}Z`;
}
