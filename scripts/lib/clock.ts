/**
 * The scripts' clock. Scripts that talk to production (upload, deploy) use the machine's time; scripts that
 * drive the local backend (demo, seed, bench, rehearsals) ask the emulator's clock, which is what its functions
 * see (`GET /clock`, or `emu.clock` in-process).
 */
export function machineNow(): Date {
  return new Date();
}

export interface EmulatorClockView {
  now: string;
  offsetMs: number;
  china: string;
}

/** The local emulator's clock at `baseUrl`. */
export async function emulatorClock(baseUrl: string): Promise<EmulatorClockView> {
  const res = await fetch(`${baseUrl}/clock`);
  if (!res.ok) throw new Error(`GET ${baseUrl}/clock: HTTP ${res.status}`);
  return (await res.json()) as EmulatorClockView;
}

/** Moves the local emulator's clock: `+8d`, `-2h`, `+1mo`, `2027-01-05`, an ISO instant, or `reset`. */
export async function moveEmulatorClock(baseUrl: string, command: string): Promise<EmulatorClockView> {
  const res = await fetch(`${baseUrl}/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ command }),
  });
  const body = (await res.json()) as EmulatorClockView & { errMsg?: string };
  if (!res.ok) throw new Error(body.errMsg ?? `POST ${baseUrl}/clock: HTTP ${res.status}`);
  return body;
}
