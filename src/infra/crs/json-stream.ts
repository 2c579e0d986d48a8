/**
 * Reads a JSON document as it arrives, chunk by chunk, and hands over the values at the paths a caller selects,
 * each parsed on its own (`JSON.parse` of its slice). CRS's bulk answers (usage-stats, the per-key trend) run to
 * hundreds of MB at 100,000 keys: read this way, neither the whole text nor the object graph of the whole answer
 * ever exists at once (docs/decisions/009). Everything that is not selected is checked for syntax and dropped.
 */
export type JsonPath = (string | number)[];

export class JsonStreamError extends Error {}

export interface JsonScannerOptions {
  /** Called with the path of each value about to be read: true = parse it whole and give it to `onValue`. */
  select(path: readonly (string | number)[]): boolean;
  onValue(path: readonly (string | number)[], value: unknown): void;
  /** Called when a container that is not selected opens (lets a caller check that an expected array exists). */
  onOpen?(path: readonly (string | number)[], isArray: boolean): void;
}

enum S {
  Value,
  FirstValueOrEnd,
  FirstKeyOrEnd,
  Key,
  KeyString,
  Colon,
  AfterValue,
  Capture,
  SkipString,
  SkipPrimitive,
  Done,
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_OBJ = 123;
const CLOSE_OBJ = 125;
const OPEN_ARR = 91;
const CLOSE_ARR = 93;
const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
const PRIMITIVE = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

export class JsonScanner {
  readonly #o: JsonScannerOptions;
  #buf = '';
  #pos = 0;
  /** Start in #buf of the token being read (key, capture or skipped value); -1 between tokens. */
  #start = -1;
  #state = S.Value;
  /** One entry per open container: true for an array. #path holds the key or index of the current member. */
  readonly #arrays: boolean[] = [];
  readonly #path: JsonPath = [];
  #depth = 0;
  #inString = false;
  #escaped = false;

  constructor(options: JsonScannerOptions) {
    this.#o = options;
  }

  write(text: string): void {
    this.#buf = this.#start >= 0 ? this.#buf.slice(this.#start) + text : text;
    this.#pos = this.#start >= 0 ? this.#pos - this.#start : 0;
    if (this.#start >= 0) this.#start = 0;
    this.#scan();
  }

  /** Checks that the document is complete. */
  end(): void {
    if (this.#state === S.SkipPrimitive || (this.#state === S.Capture && this.#depth === 0 && !this.#inString)) {
      this.#finishToken(this.#buf.length);
    }
    if (this.#state !== S.Done) throw new JsonStreamError('unexpected end of JSON');
  }

  #fail(what: string): never {
    throw new JsonStreamError(`${what} at ${this.#path.join('.') || 'the top level'}`);
  }

  #scan(): void {
    const buf = this.#buf;
    const len = buf.length;
    let i = this.#pos;
    while (i < len) {
      const c = buf.charCodeAt(i);
      switch (this.#state) {
        case S.Capture:
        case S.SkipString:
        case S.KeyString:
        case S.SkipPrimitive: {
          const end = this.#tokenEnd(buf, i);
          if (end < 0) {
            i = len;
            continue;
          }
          i = this.#finishToken(end);
          continue;
        }
        case S.Value:
        case S.FirstValueOrEnd:
          if (isSpace(c)) break;
          if (c === CLOSE_ARR && this.#state === S.FirstValueOrEnd) {
            this.#close(false);
            break;
          }
          this.#beginValue(c, i);
          if (
            (this.#state as S) === S.Capture ||
            (this.#state as S) === S.SkipString ||
            (this.#state as S) === S.SkipPrimitive
          ) {
            continue; // the token reader starts at the token's first character
          }
          break;
        case S.FirstKeyOrEnd:
        case S.Key:
          if (isSpace(c)) break;
          if (c === CLOSE_OBJ && this.#state === S.FirstKeyOrEnd) {
            this.#close(true);
            break;
          }
          if (c !== QUOTE) this.#fail('expected a key');
          this.#state = S.KeyString;
          this.#start = i;
          this.#inString = false;
          continue;
        case S.Colon:
          if (isSpace(c)) break;
          if (c !== COLON) this.#fail("expected ':'");
          this.#state = S.Value;
          break;
        case S.AfterValue:
          if (isSpace(c)) break;
          if (c === COMMA && this.#arrays.length > 0) {
            const last = this.#path.length - 1;
            if (this.#arrays[this.#arrays.length - 1]) {
              this.#path[last] = (this.#path[last] as number) + 1;
              this.#state = S.Value;
            } else this.#state = S.Key;
          } else if (c === CLOSE_ARR || c === CLOSE_OBJ) this.#close(c === CLOSE_OBJ);
          else this.#fail("expected ',' or the end of a container");
          break;
        case S.Done:
          if (!isSpace(c)) this.#fail('unexpected text after the document');
          break;
      }
      i++;
    }
    this.#pos = i;
  }

  #beginValue(c: number, i: number): void {
    if (this.#o.select(this.#path)) {
      this.#state = S.Capture;
      this.#start = i;
      this.#depth = 0;
      this.#inString = false;
      this.#escaped = false;
    } else if (c === OPEN_OBJ || c === OPEN_ARR) {
      const isArray = c === OPEN_ARR;
      this.#o.onOpen?.(this.#path, isArray);
      this.#arrays.push(isArray);
      this.#path.push(isArray ? 0 : '');
      this.#state = isArray ? S.FirstValueOrEnd : S.FirstKeyOrEnd;
    } else {
      this.#state = c === QUOTE ? S.SkipString : S.SkipPrimitive;
      this.#start = i;
      this.#inString = false;
      this.#escaped = false;
    }
  }

  /**
   * Where the token that starts at #start ends (exclusive), scanning from `i`; -1 when the buffer ends first
   * (the state is kept, and the next chunk continues from there).
   */
  #tokenEnd(buf: string, i: number): number {
    const len = buf.length;
    if (this.#state === S.SkipPrimitive || (this.#state === S.Capture && !isOpening(buf, this.#start))) {
      // A number, true, false or null: it ends at the first delimiter (checked in #finishToken).
      for (; i < len; i++) {
        const c = buf.charCodeAt(i);
        if (c === COMMA || c === CLOSE_ARR || c === CLOSE_OBJ || isSpace(c)) return i;
      }
      return -1;
    }
    for (; i < len; i++) {
      const c = buf.charCodeAt(i);
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === BACKSLASH) this.#escaped = true;
        else if (c === QUOTE) {
          this.#inString = false;
          if (this.#depth === 0) return i + 1;
        }
      } else if (c === QUOTE) {
        if (i === this.#start || this.#depth > 0) this.#inString = true;
        else this.#fail('unexpected string');
      } else if (c === OPEN_OBJ || c === OPEN_ARR) this.#depth++;
      else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (--this.#depth === 0) return i + 1;
        if (this.#depth < 0) this.#fail('unbalanced brackets');
      }
    }
    return -1;
  }

  /** Completes the token [#start, end): reads, captures or checks it; returns where scanning resumes. */
  #finishToken(end: number): number {
    const text = this.#buf.slice(this.#start, end);
    const state = this.#state;
    this.#start = -1;
    if (state === S.KeyString) {
      this.#path[this.#path.length - 1] = text.includes('\\') ? (this.#parse(text) as string) : text.slice(1, -1);
      this.#state = S.Colon;
      return end;
    }
    if (state === S.SkipPrimitive || !isOpening(text, 0)) {
      if (!PRIMITIVE.test(text)) this.#fail(`invalid value ${text.slice(0, 20)}`);
    }
    if (state === S.Capture) this.#o.onValue(this.#path, this.#parse(text));
    else if (state === S.SkipString) this.#parse(text);
    this.#state = this.#arrays.length === 0 ? S.Done : S.AfterValue;
    return end;
  }

  #close(object: boolean): void {
    if (this.#arrays.pop() !== !object) this.#fail('mismatched brackets');
    this.#path.pop();
    this.#state = this.#arrays.length === 0 ? S.Done : S.AfterValue;
  }

  #parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return this.#fail(`invalid JSON ${text.slice(0, 20)}`);
    }
  }
}

function isOpening(buf: string, i: number): boolean {
  const c = buf.charCodeAt(i);
  return c === OPEN_OBJ || c === OPEN_ARR || c === QUOTE;
}
