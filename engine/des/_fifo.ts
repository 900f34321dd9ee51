/**
 * Internal: an array-backed queue with O(1) removal at the head and positional insert/remove, for the
 * wait queues and item lists of resources (SimPy uses Python lists there).
 * @module
 */

/** FIFO queue with a moving head; compacts itself when the dead prefix grows large. */
export class Fifo<T> {
  private _items: (T | undefined)[] = [];
  private _head = 0;

  get length(): number {
    return this._items.length - this._head;
  }

  /** Element `i` (0 = head); the caller keeps `i` in range. */
  at(i: number): T {
    return this._items[this._head + i] as T;
  }

  push(item: T): void {
    this._items.push(item);
  }

  /** Inserts at position `i` (0 = head, `length` = tail). */
  insert(i: number, item: T): void {
    if (i === this.length) this._items.push(item);
    else this._items.splice(this._head + i, 0, item);
  }

  /** Removes and returns element `i`. */
  removeAt(i: number): T {
    const items = this._items;
    if (i !== 0) return items.splice(this._head + i, 1)[0] as T;
    const item = items[this._head] as T;
    items[this._head++] = undefined;
    if (this._head === items.length) {
      items.length = 0;
      this._head = 0;
    } else if (this._head >= 1024 && this._head * 2 >= items.length) {
      items.copyWithin(0, this._head);
      items.length -= this._head;
      this._head = 0;
    }
    return item;
  }

  /** Removes and returns the head; the caller checks `length` first. */
  shift(): T {
    return this.removeAt(0);
  }

  indexOf(item: T): number {
    const j = this._items.indexOf(item, this._head);
    return j < 0 ? -1 : j - this._head;
  }

  /** Removes the first occurrence of `item`. @returns whether it was there. */
  remove(item: T): boolean {
    const i = this.indexOf(item);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  toArray(): T[] {
    return this._items.slice(this._head) as T[];
  }
}
