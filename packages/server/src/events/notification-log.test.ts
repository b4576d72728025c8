import { describe, expect, it } from 'vitest';
import { NotificationLog } from './notification-log.js';

describe('NotificationLog', () => {
  it('numbers notifications from 1 and answers those after an id', () => {
    const log = new NotificationLog();
    const first = log.add({ time: 1, level: 'info', message: 'a', nodeId: null });
    log.add({ time: 2, level: 'error', message: 'b', nodeId: 'n' });
    expect(first.id).toBe(1);
    expect(log.since(0).notifications.map((n) => n.message)).toEqual(['a', 'b']);
    expect(log.since(1)).toEqual({
      notifications: [{ id: 2, time: 2, level: 'error', message: 'b', nodeId: 'n' }],
      next: 2,
    });
    expect(log.since(2)).toEqual({ notifications: [], next: 2 });
  });

  it('keeps only the latest `capacity` notifications, ids still increasing', () => {
    const log = new NotificationLog({ capacity: 3 });
    for (let i = 1; i <= 5; i += 1)
      log.add({ time: i, level: 'info', message: `m${i}`, nodeId: null });
    expect(log.since(0).notifications.map((n) => n.id)).toEqual([3, 4, 5]);
    expect(log.since(0).next).toBe(5);
  });
});
