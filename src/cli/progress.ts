// Progress of a long command (audit, reconcile, replay) on stderr, only when stderr is a terminal: an operator
// watching sees it move, while a pipe, a file or a CI log never receives a byte of it (stdout stays the report).

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  /** A new stage: `reading orders.csv`. */
  stage(text: string): void;
  /** Items done in the current stage; redrawn on one line at most every `every` items. */
  count(done: number, total: number): void;
  /** Clears the line: the report that follows starts on a clean line. */
  done(): void;
}

const SILENT: Progress = { stage() {}, count() {}, done() {} };

export function progressOn(stream: ProgressStream, command: string, every = 1000): Progress {
  if (stream.isTTY !== true) return SILENT;
  let current = '';
  let shown = false;
  // `\r` back to the start of the line, ESC[K clears to its end (ECMA-48 EL).
  const draw = (text: string): void => {
    stream.write(`\r\x1b[K${text}`);
    shown = true;
  };
  return {
    stage(text) {
      current = `matchkey ${command}: ${text}`;
      draw(`${current}…`);
    },
    count(done, total) {
      if (done % every !== 0 && done !== total) return;
      draw(`${current}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
