interface Slot<T> {
  readonly id: string;
  readonly value: T;
  removed: boolean;
}

/**
 * A first-in first-out queue with O(1) push, head and removal by id (removed slots are skipped
 * lazily when they reach the head; the array is compacted once half of it is dead).
 */
export class FifoQueue<T> {
  private slots: Slot<T>[] = [];
  private head = 0;
  private readonly byId = new Map<string, Slot<T>>();

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): T | undefined {
    return this.byId.get(id)?.value;
  }

  push(id: string, value: T): void {
    const slot = { id, value, removed: false };
    this.slots.push(slot);
    this.byId.set(id, slot);
  }

  /** The oldest value still queued. */
  peek(): T | undefined {
    this.skipRemoved();
    return this.slots[this.head]?.value;
  }

  shift(): T | undefined {
    this.skipRemoved();
    const slot = this.slots[this.head];
    if (!slot) return undefined;
    this.byId.delete(slot.id);
    this.head++;
    this.compact();
    return slot.value;
  }

  remove(id: string): boolean {
    const slot = this.byId.get(id);
    if (!slot) return false;
    slot.removed = true;
    this.byId.delete(id);
    this.compact();
    return true;
  }

  /** 1-based position of id (O(n): for queries, not decisions). */
  position(id: string): number | undefined {
    if (!this.byId.has(id)) return undefined;
    let n = 0;
    for (let i = this.head; i < this.slots.length; i++) {
      const slot = this.slots[i]!;
      if (slot.removed) continue;
      n++;
      if (slot.id === id) return n;
    }
    return undefined;
  }

  values(): T[] {
    const out: T[] = [];
    for (let i = this.head; i < this.slots.length; i++) if (!this.slots[i]!.removed) out.push(this.slots[i]!.value);
    return out;
  }

  private skipRemoved(): void {
    while (this.head < this.slots.length && this.slots[this.head]!.removed) this.head++;
  }

  private compact(): void {
    const dead = this.slots.length - this.byId.size;
    if (dead > 64 && dead * 2 > this.slots.length) {
      this.slots = this.slots.filter((s, i) => i >= this.head && !s.removed);
      this.head = 0;
    }
  }
}
