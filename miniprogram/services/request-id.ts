/**
 * Request ids made on the phone: 32 hex characters, created once when a form opens, so a retried or
 * double-tapped submit carries the same id and the server returns the first result instead of a second one.
 */
const HEX = '0123456789abcdef';

function randomByte(): number {
  return Math.floor(Math.random() * 256);
}

export function newRequestId(): string {
  let id = '';
  for (let i = 0; i < 16; i += 1) {
    const byte = randomByte();
    id += HEX[byte >> 4] + HEX[byte & 15];
  }
  return id;
}

/** Random part of a photo's cloud path: 16 hex characters. */
export function randomName(): string {
  return newRequestId().slice(0, 16);
}
