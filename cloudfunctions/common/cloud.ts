/** The one place a function initialises wx-server-sdk: the current environment, whatever it is called. */
import cloud from 'wx-server-sdk';

// The SDK's typings declare `env` as a string although DYNAMIC_CURRENT_ENV is a symbol the SDK resolves itself.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

export { cloud };
