// The functions' clock moves only inside the emulator: production never sets the marker, and without it the
// offset is ignored.
import { clockOffsetMs } from '../../cloudfunctions/common/clock';

it('honours the emulator’s clock offset only with the emulator marker', () => {
  expect(clockOffsetMs({ ZJF_EMULATOR: '1', ZJF_CLOCK_OFFSET_MS: '86400000' })).toBe(86_400_000);
  expect(clockOffsetMs({ ZJF_CLOCK_OFFSET_MS: '86400000' })).toBe(0);
  expect(clockOffsetMs({ ZJF_EMULATOR: '1', ZJF_CLOCK_OFFSET_MS: 'soon' })).toBe(0);
  expect(clockOffsetMs({})).toBe(0);
});
