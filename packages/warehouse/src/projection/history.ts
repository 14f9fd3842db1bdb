/**
 * Reading the episodes as they stood at a moment (docs/outcomes.md, "As of and releases"). The
 * projector keeps one episode_history row per distinct recorded time of each episode's events
 * (the fold of the events recorded up to it), so the episodes as of T are, per episode, the row
 * with the latest recorded_to not after T: a late event or a retraction recorded after T has no
 * row at or before T, and cannot reach the answer.
 */

/** The parameter type of an as-of moment: the ingest's recorded_at precision. */
export const AS_OF_TYPE = "DateTime64(3, 'UTC')";

/**
 * A table expression with the columns of `episodes`: each episode's row as of the moment bound
 * to `{<param>:DateTime64(3, 'UTC')}`. Episodes with no event recorded by then are absent. Of
 * rows of the same recorded time (a prefix folded again), the highest version wins. The order
 * is the table's sorting key reversed, so ClickHouse reads in order and stops at each
 * episode's first row instead of sorting the history.
 */
export function episodesAsOfSql(param: string): string {
  return `(SELECT * FROM episode_history WHERE recorded_to <= {${param}:${AS_OF_TYPE}} ORDER BY episode_id DESC, recorded_to DESC, version DESC LIMIT 1 BY episode_id)`;
}

/** A frozen release's episode rows, with the columns of `episodes`. */
export function releaseEpisodesSql(param: string): string {
  return `(SELECT * EXCEPT (release) FROM release_episodes WHERE release = {${param}:String})`;
}
