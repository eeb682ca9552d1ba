/** What `npm start` says when it cannot start, in the words a developer (or a town's IT person) can act on. */

/** The message for a port another program holds, or null when the error is something else. */
export function portInUseMessage(error: unknown, port: number): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'EADDRINUSE') return null;
  return [
    `端口 ${port} 已被占用：可能已有一个 npm start 在运行，或其他程序正在使用该端口。`,
    `Port ${port} is already in use: another \`npm start\` may be running, or another program holds the port.`,
    `请先关闭它，或换一个端口 / Stop it, or use another port:  PORT=${port + 1} npm start`,
  ].join('\n');
}
