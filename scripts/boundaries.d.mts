export declare const EXCEPTIONS: ReadonlyArray<{ from: string; to: string; why: string }>;
/** Every boundary broken under `root`, as `file: rule` lines; empty when the layout holds. */
export declare function checkBoundaries(root: string): string[];
