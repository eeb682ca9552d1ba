/** A busy port on `npm start` is explained in Chinese and English, not dumped as a raw EADDRINUSE stack. */
import net from 'node:net';
import { portInUseMessage } from '../../scripts/start-errors';

it('explains a port another program holds, with what to do', async () => {
  // Prepare: hold a port, then try to listen on it as the emulator would
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', () => resolve()));
  const port = (holder.address() as net.AddressInfo).port;
  const second = net.createServer();
  const error = await new Promise<unknown>((resolve) => {
    second.once('error', resolve);
    second.listen(port, '127.0.0.1');
  });
  holder.close();

  // Act
  const message = portInUseMessage(error, port);

  // Assess
  expect(message).toContain(`端口 ${port} 已被占用`);
  expect(message).toContain(`Port ${port} is already in use`);
  expect(message).toContain(`PORT=${port + 1} npm start`);
  expect(message).not.toContain('EADDRINUSE');
});

it('leaves other errors as they are', () => {
  expect(portInUseMessage(new Error('boom'), 3000)).toBeNull();
  expect(portInUseMessage(null, 3000)).toBeNull();
});
