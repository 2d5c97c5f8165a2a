import { watch, type FSWatcher } from 'chokidar';

/** Files being watched; the set follows what each load of the stack used. */
export interface FileWatch {
  /** Watch exactly these files from now on. */
  set(files: readonly string[]): void;
  close(): Promise<void>;
}

export interface FileWatchOptions {
  /** A save touched one or more watched files; called once per burst of saves. */
  onChange: (files: string[]) => void;
  /** Saves closer together than this are one change (editors write in steps). */
  debounceMs?: number;
}

/**
 * Watches a set of files (editors that save through a temporary file and a rename included:
 * chokidar folds that into one change), and reports each burst of changes once.
 */
export function watchFiles(options: FileWatchOptions): FileWatch {
  const debounceMs = options.debounceMs ?? 150;
  const watcher: FSWatcher = watch([], { ignoreInitial: true, atomic: true });
  let watched = new Set<string>();
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const changed = (path: string) => {
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending = new Set();
      options.onChange(files);
    }, debounceMs);
  };
  watcher.on('change', changed).on('add', changed).on('unlink', changed);
  watcher.on('error', () => undefined);
  return {
    set(files) {
      const next = new Set(files);
      const gone = [...watched].filter((f) => !next.has(f));
      const added = [...next].filter((f) => !watched.has(f));
      if (gone.length) watcher.unwatch(gone);
      if (added.length) watcher.add(added);
      watched = next;
    },
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
