import { describeTransportContract } from '@ketrew/test-kit';
import { LocalTransport } from '../src/index.js';
import { localHost, temporaryDirectory } from './helpers.js';

describeTransportContract({
  name: 'LocalTransport',
  create: async () => {
    const dir = await temporaryDirectory();
    const transport = new LocalTransport({ host: localHost() });
    return { transport, directory: dir.path, cleanup: dir.cleanup };
  },
});
