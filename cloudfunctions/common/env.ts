/** Settings a function reads from its environment (set per environment at deploy, never committed). */
export function townId(): string {
  return process.env.TOWN_ID || 'town';
}

/** How long an invite code stays valid, in hours. */
export function inviteHours(): number {
  const value = Number(process.env.INVITE_HOURS);
  return Number.isFinite(value) && value > 0 ? value : 72;
}
