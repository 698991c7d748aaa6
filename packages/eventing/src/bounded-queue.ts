/**
 * A first-in-first-out queue with a fixed capacity that never blocks the producer: pushing into a
 * full queue drops the oldest item and counts it. Events are worth less the older they get, and the
 * runtime must never wait for an observer, so dropping the oldest is the right end to lose.
 *
 * A ring buffer, so `push` and `shift` are O(1) however full it is (an array's `shift` is O(n)).
 */
export class BoundedQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private size = 0;
  private droppedTotal = 0;

  /** @param capacity most items held at once; at least 1. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`BoundedQueue capacity must be a positive integer, got ${capacity}`);
    }
    this.items = new Array<T | undefined>(capacity);
  }

  /** Items currently held. */
  get length(): number {
    return this.size;
  }

  /** Items dropped because the queue was full, since creation. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** Appends `item`; returns the dropped oldest item when the queue was full. */
  push(item: T): T | undefined {
    let evicted: T | undefined;
    if (this.size === this.capacity) {
      evicted = this.shift();
      this.droppedTotal += 1;
    }
    this.items[(this.head + this.size) % this.capacity] = item;
    this.size += 1;
    return evicted;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size -= 1;
    return item;
  }

  /** The item `index` places from the oldest (0 = oldest), without removing it. */
  peek(index = 0): T | undefined {
    if (index < 0 || index >= this.size) return undefined;
    return this.items[(this.head + index) % this.capacity];
  }
}
