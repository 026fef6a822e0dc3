import { describe, expect, it } from 'vitest';
import { RAMP_FLOOR_POINTS, WindowRamp } from '../../src/backup/window-ramp.js';

describe('window ramp', () => {
  it('starts at the floor, grows with what is stored, and stops at the full target', () => {
    const ramp = new WindowRamp(150_000);
    expect(ramp.target()).toBe(RAMP_FLOOR_POINTS);
    ramp.add(1_000_000);
    expect(ramp.target()).toBe(RAMP_FLOOR_POINTS);
    ramp.add(9_000_000);
    expect(ramp.target()).toBe(50_000);
    ramp.add(100_000_000);
    expect(ramp.target()).toBe(150_000);
  });

  it('a smaller --target-points than the floor is kept, and a resumed run starts from what was stored', () => {
    expect(new WindowRamp(1000).target()).toBe(1000);
    expect(new WindowRamp(150_000, 20_000_000).target()).toBe(100_000);
  });
});
