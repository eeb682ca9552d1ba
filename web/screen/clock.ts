/** The page's one clock: the screen's time, corrected by the server's (`now` in each answer). */
let offsetMs = 0;

export function syncWithServer(serverNowIso: string): void {
  offsetMs = new Date(serverNowIso).getTime() - Date.now();
}

export function serverNow(): Date {
  return new Date(Date.now() + offsetMs);
}
