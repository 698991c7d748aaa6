import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue.js';

describe('BoundedQueue', () => {
  it('is first-in first-out across wrap-around', () => {
    const queue = new BoundedQueue<number>(3);
    queue.push(1);
    queue.push(2);
    expect(queue.shift()).toBe(1);
    queue.push(3);
    queue.push(4);
    expect([queue.peek(0), queue.peek(1), queue.peek(2), queue.peek(3)]).toEqual([2, 3, 4, undefined]);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([2, 3, 4, undefined]);
    expect(queue.length).toBe(0);
  });

  it('drops and returns the oldest item when full, and counts drops', () => {
    const queue = new BoundedQueue<number>(2);
    expect(queue.push(1)).toBeUndefined();
    expect(queue.push(2)).toBeUndefined();
    expect(queue.push(3)).toBe(1);
    expect(queue.push(4)).toBe(2);
    expect(queue.dropped).toBe(2);
    expect([queue.shift(), queue.shift()]).toEqual([3, 4]);
  });

  it('rejects a capacity below 1', () => {
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
  });
});
